import DequeModule

/// The latest `capacity` values of something that happens over and over (outcomes, accepted
/// events, published messages, activity), plus live streams of every value appended from the
/// moment a stream is made. Older values are dropped from the history only; streams see all.
public struct History<Element: Sendable>: Sendable {
    private var kept = Deque<Element>()
    /// How many values are kept; 0 keeps none (streams still see every value).
    public private(set) var capacity: Int
    /// Values appended since the start, kept or not.
    public private(set) var totalCount = 0
    private var streams: [Int: AsyncStream<Element>.Continuation] = [:]
    private var nextStream = 0

    public init(capacity: Int) { self.capacity = max(0, capacity) }

    /// The values kept, oldest first.
    public var elements: [Element] { Array(kept) }

    /// Takes `value` over (an appended value is moved into the history, not copied).
    mutating func append(_ value: consuming Element) {
        totalCount += 1
        for c in streams.values { c.yield(copy value) }
        guard capacity > 0 else { return }
        if kept.count == capacity { kept.removeFirst() }
        kept.append(value)
    }

    mutating func setCapacity(_ n: Int) {
        capacity = max(0, n)
        if kept.count > capacity { kept.removeFirst(kept.count - capacity) }
    }

    /// A stream of the values appended from now on. `onTermination` removes it (a stream the
    /// caller dropped costs nothing afterwards).
    mutating func makeStream(onTermination: @escaping @Sendable (Int) -> Void) -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream<Element>.makeStream(bufferingPolicy: .unbounded)
        let id = nextStream
        nextStream += 1
        streams[id] = continuation
        continuation.onTermination = { _ in onTermination(id) }
        return stream
    }

    mutating func removeStream(_ id: Int) { streams[id] = nil }
}
