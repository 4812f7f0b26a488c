/// A rules file: a JSON object mapping rule names to a pattern, or to an array of patterns
/// (alternatives under one name). Used by the CLI and the benchmarks.
public struct RuleFile: Sendable {
    public var rules: [(name: String, patterns: [EventPattern])]

    /// Why a rules file was rejected: the rule, the JSON path inside the file, and the reason.
    public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        public var rule: String?
        public var path: String
        public var reason: String
        public var description: String {
            if let rule { return "rule \"\(rule)\": \(reason) (at \(path))" }
            return "\(reason) (at \(path))"
        }
    }

    /// The verdict on one member of a rules file, in file order.
    public struct Verdict: Sendable {
        public var name: String
        /// The rule's patterns, or why the rule is rejected.
        public var result: Result<[EventPattern], RuleFile.Error>
    }

    /// Accepts the file only when every rule is valid; the first invalid rule is the error.
    public init(text: String) throws(RuleFile.Error) {
        try self.init(verdicts: RuleFile.verdicts(utf8: Array(text.utf8)))
    }

    /// A rules file's bytes; bytes that are not UTF-8 are rejected with their offset (decoding
    /// them into a `String` first would replace them unnoticed).
    public init(utf8 bytes: [UInt8]) throws(RuleFile.Error) {
        try self.init(verdicts: RuleFile.verdicts(utf8: bytes))
    }

    public init(json: JSONValue) throws(RuleFile.Error) {
        try self.init(verdicts: RuleFile.verdicts(json: json))
    }

    private init(verdicts: [Verdict]) throws(RuleFile.Error) {
        var rules: [(name: String, patterns: [EventPattern])] = []
        for verdict in verdicts {
            switch verdict.result {
            case .success(let patterns): rules.append((name: verdict.name, patterns: patterns))
            case .failure(let error): throw error
            }
        }
        self.rules = rules
    }

    /// One verdict per rule, so a caller can report every rule; throws only when the file as a
    /// whole is unusable (not JSON, not an object). The file is valid exactly when every
    /// verdict is a success.
    public static func verdicts(text: String) throws(RuleFile.Error) -> [Verdict] {
        try verdicts(utf8: Array(text.utf8))
    }

    /// The same from the file's bytes (invalid UTF-8 is rejected with its offset).
    public static func verdicts(utf8 bytes: [UInt8]) throws(RuleFile.Error) -> [Verdict] {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes: bytes)
        } catch {
            throw Error(rule: nil, path: "$", reason: "rules file is not valid JSON: \(error)")
        }
        return try verdicts(json: json)
    }

    public static func verdicts(json: JSONValue) throws(RuleFile.Error) -> [Verdict] {
        guard case .object(let members) = json else {
            throw Error(rule: nil, path: "$", reason: "rules file must be a JSON object of rule name to pattern")
        }
        var seen: Set<String> = []
        return members.map { member in
            let base = JSONPath.member("$", member.key)
            guard seen.insert(member.key).inserted else {
                return Verdict(name: member.key, result: .failure(Error(rule: member.key, path: base, reason: "duplicate rule name")))
            }
            return Verdict(name: member.key, result: Result { () throws(RuleFile.Error) in try patterns(member, at: base) })
        }
    }

    private static func patterns(_ member: JSONMember, at base: String) throws(RuleFile.Error) -> [EventPattern] {
        let values: [(JSONValue, String)]
        if case .array(let list) = member.value {
            guard !list.isEmpty else { throw Error(rule: member.key, path: base, reason: "Empty arrays are not allowed") }
            values = list.enumerated().map { ($0.element, JSONPath.index(base, $0.offset)) }
        } else {
            values = [(member.value, base)]
        }
        var patterns: [EventPattern] = []
        for (value, path) in values {
            do {
                patterns.append(try EventPattern(json: value))
            } catch {
                // Pattern paths start at "$"; re-root them inside the file.
                throw Error(rule: member.key, path: path + error.path.dropFirst(), reason: error.reason)
            }
        }
        return patterns
    }

    /// The patterns of the rule named `name`, or nil.
    public func patterns(named name: String) -> [EventPattern]? {
        rules.first { $0.name == name }?.patterns
    }

    /// A matcher holding every rule of the file.
    public func makeMatcher(scanning: EventMatcher.Scanning = .validating) -> EventMatcher {
        let matcher = EventMatcher(scanning: scanning)
        for rule in rules {
            for p in rule.patterns { matcher.addRule(rule.name, pattern: p) }
        }
        return matcher
    }
}
