/// Many named rules compiled into one automaton, answering "which rules match this event?".
///
/// Several patterns under one name are alternatives (OR). Rules may be added and removed at any
/// time, from any task, while other tasks match: each match uses an immutable snapshot of the
/// automaton, rebuilt lazily after a change.
public final class EventMatcher: Sendable {
    private struct Rules {
        var order: [String] = []
        var patterns: [String: [EventPattern]] = [:]
        var compiled: Automaton?
    }

    /// How much of an event's bytes the matcher reads.
    public enum Scanning: Sendable {
        /// Every byte is checked: a malformed event is always an error.
        case validating
        /// Parts no rule reads are skipped by structure alone, and reading stops once every
        /// top-level member a rule names has been seen. Much faster on large events; malformed
        /// JSON in unread parts goes unnoticed, and a member name repeated after that point is
        /// not seen. For events already validated upstream (for example by an event bus).
        case stopEarly
    }

    private let rules = Lock(Rules())
    /// Events nested deeper than this are rejected (as bytes) or match nothing (as a parsed
    /// `JSONValue`). At most `JSONParser.maxSupportedDepth`: a larger limit is lowered to it.
    public let maxEventDepth: Int
    public let scanning: Scanning

    public init(maxEventDepth: Int = JSONParser.defaultMaxDepth, scanning: Scanning = .validating) {
        self.maxEventDepth = JSONParser.supportedDepth(maxEventDepth)
        self.scanning = scanning
    }

    /// Adds `pattern` under `name`; a name may hold several patterns (any one matching suffices).
    public func addRule(_ name: String, pattern: EventPattern) {
        rules.withLock { r in
            if r.patterns[name] == nil { r.order.append(name) }
            if r.patterns[name, default: []].contains(pattern) { return }
            r.patterns[name, default: []].append(pattern)
            r.compiled = nil
        }
    }

    public func addRule(_ name: String, pattern text: String) throws(PatternError) {
        addRule(name, pattern: try EventPattern(text))
    }

    public func addRule(_ name: String, pattern json: JSONValue) throws(PatternError) {
        addRule(name, pattern: try EventPattern(json: json))
    }

    /// Removes every pattern under `name`; returns whether there was one.
    @discardableResult
    public func removeRule(_ name: String) -> Bool {
        rules.withLock { r in
            guard r.patterns.removeValue(forKey: name) != nil else { return false }
            r.order.removeAll { $0 == name }
            r.compiled = nil
            return true
        }
    }

    /// Removes one pattern from `name`; returns whether it was there.
    @discardableResult
    public func removeRule(_ name: String, pattern: EventPattern) -> Bool {
        rules.withLock { r in
            guard let i = r.patterns[name]?.firstIndex(of: pattern) else { return false }
            r.patterns[name]!.remove(at: i)
            if r.patterns[name]!.isEmpty {
                r.patterns[name] = nil
                r.order.removeAll { $0 == name }
            }
            r.compiled = nil
            return true
        }
    }

    /// The rule names, in the order they were first added.
    public var ruleNames: [String] { rules.withLock { $0.order } }

    public func patterns(of name: String) -> [EventPattern] { rules.withLock { $0.patterns[name] ?? [] } }

    /// Compiles now rather than on the next match (useful before timing matches).
    public func compile() { _ = snapshot() }

    private func snapshot() -> Automaton {
        rules.withLock { r in
            if let a = r.compiled { return a }
            var list: [(name: String, conjunctions: [Conjunction])] = []
            for name in r.order {
                for p in r.patterns[name]! { list.append((name: name, conjunctions: p.conjunctions)) }
            }
            let a = Automaton.build(list)
            r.compiled = a
            return a
        }
    }

    /// The names of the matching rules, sorted ascending by byte order, for an event given as
    /// UTF-8 JSON. Throws when the bytes are not a JSON object.
    public func matches(event bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> [String] {
        try snapshot().match(event: bytes, maxDepth: maxEventDepth, scanning: scanning)
    }

    /// `matches(event:)` with the work the match did (tests assert bounds on it).
    func matchesMeasuringWork(event bytes: [UInt8]) throws(JSONError) -> (names: [String], work: MatchWork) {
        try bytes.withUnsafeBufferPointer { (b) throws(JSONError) in
            try snapshot().matchMeasuringWork(event: b, maxDepth: maxEventDepth, scanning: scanning)
        }
    }

    public func matches(event bytes: [UInt8]) throws(JSONError) -> [String] {
        try bytes.withUnsafeBufferPointer { (b) throws(JSONError) -> [String] in try matches(event: b) }
    }

    public func matches(eventJSON text: String) throws(JSONError) -> [String] {
        var t = text
        let result = t.withUTF8 { b in Result { () throws(JSONError) -> [String] in try matches(event: b) } }
        return try result.get()
    }

    /// The same for an event already parsed. A non-object event matches nothing, and so does
    /// one whose parts that rules read nest deeper than `maxEventDepth` (read without recursion,
    /// so any depth is safe).
    public func matches(event json: JSONValue) -> [String] {
        guard case .object = json else { return [] }
        return snapshot().match(event: json, maxDepth: maxEventDepth)
    }
}
