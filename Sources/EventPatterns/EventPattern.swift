import Synchronization

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
        guard text.utf8.count <= PatternParser.maxPatternBytes else {
            throw PatternError(path: "$", reason: "Pattern is longer than \(PatternParser.maxPatternBytes) bytes")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(text, maxDepth: PatternParser.maxDepth)
        } catch {
            throw PatternError(path: "$", reason: "Pattern is not valid JSON: \(error)")
        }
        try self.init(json: json)
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
    private let built = Mutex<Automaton?>(nil)

    func automaton(_ conjunctions: [Conjunction]) -> Automaton {
        built.withLock { a in
            if let a { return a }
            let new = Automaton.build([(name: "", conjunctions: conjunctions)])
            a = new
            return new
        }
    }
}
