/// A validated EventBridge event pattern.
public struct EventPattern: Sendable, Hashable {
    /// The pattern as written.
    public let json: JSONValue
    let conjunctions: [Conjunction]
    /// This pattern alone, compiled on first use by `matches(event:)`: most patterns only ever
    /// go into a matcher, and an automaton per pattern would cost kilobytes each.
    private let compiled: SinglePatternAutomaton
    private var single: Automaton { compiled.automaton(conjunctions) }

    public init(json: JSONValue) throws(PatternError) {
        self.json = json
        self.conjunctions = try PatternParser.parse(json)
        self.compiled = SinglePatternAutomaton()
    }

    /// Parses and validates pattern text. Malformed JSON is reported with its line and column.
    public init(_ text: String) throws(PatternError) {
        var copy = text
        let result = copy.withUTF8 { bytes in Result { () throws(PatternError) in try EventPattern.parse(bytes) } }
        try self.init(json: result.get())
    }

    /// Parses and validates pattern text given as UTF-8 bytes (a file's contents, say). Bytes
    /// that are not UTF-8 are rejected with their offset, as in events; decoding the bytes into
    /// a `String` first would silently replace them.
    public init(utf8 bytes: [UInt8]) throws(PatternError) {
        let json = try bytes.withUnsafeBufferPointer { (b) throws(PatternError) in try EventPattern.parse(b) }
        try self.init(json: json)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(PatternError) -> JSONValue {
        guard bytes.count <= PatternParser.maxPatternBytes else {
            throw PatternError(path: "$", reason: "Pattern is longer than \(PatternParser.maxPatternBytes) bytes")
        }
        do {
            return try JSONParser.parse(bytes, maxDepth: PatternParser.maxDepth)
        } catch {
            throw PatternError(path: "$", reason: "Pattern is not valid JSON: \(error)")
        }
    }

    /// The longest pattern text `init(_:)` accepts, in bytes.
    public static var maxTextBytes: Int { PatternParser.maxPatternBytes }
    /// The most combinations `$or` may expand to.
    public static var maxOrCombinations: Int { PatternParser.maxCombinations }
    /// How deeply pattern objects may nest.
    public static var maxNesting: Int { PatternParser.maxDepth }

    /// Whether this one pattern matches `event` (TestEventPattern without the envelope check).
    public func matches(event: JSONValue) -> Bool {
        !single.match(event: event, maxDepth: JSONParser.defaultMaxDepth).isEmpty
    }

    /// Whether this one pattern matches an event given as UTF-8 JSON.
    public func matches(eventJSON bytes: [UInt8]) throws(JSONError) -> Bool {
        try bytes.withUnsafeBufferPointer { (b) throws(JSONError) -> Bool in
            try !single.match(event: b, maxDepth: JSONParser.defaultMaxDepth, scanning: .validating).isEmpty
        }
    }

    public static func == (a: EventPattern, b: EventPattern) -> Bool { a.json == b.json }
    public func hash(into h: inout Hasher) { h.combine(json) }
}

/// The automaton of one pattern, built the first time it is needed.
final class SinglePatternAutomaton: Sendable {
    private let built = Lock<Automaton?>(nil)

    func automaton(_ conjunctions: [Conjunction]) -> Automaton {
        built.withLock { a in
            if let a { return a }
            let new = Automaton.build([(name: "", conjunctions: conjunctions)])
            a = new
            return new
        }
    }
}
