import Metrics

/// Counters made once each and kept by key: making one asks the metrics factory for a handler
/// (a registry lookup), too much to do on every event.
struct CounterCache {
    private var made: [String: Counter] = [:]

    mutating func counter(_ key: String, make: () -> Counter) -> Counter {
        if let c = made[key] { return c }
        let c = make()
        made[key] = c
        return c
    }
}
