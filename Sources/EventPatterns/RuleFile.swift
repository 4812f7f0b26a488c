/// A rules file: a JSON object mapping rule names to a pattern, or to an array of patterns
/// (alternatives under one name). Used by the CLI and the benchmarks.
public struct RuleFile: Sendable {
    public var rules: [(name: String, patterns: [EventPattern])]

    /// Why a rules file was rejected: the rule, the JSON path inside the file, and the reason.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var rule: String?
        public var path: String
        public var reason: String
        public var description: String {
            if let rule { return "rule \"\(rule)\": \(reason) (at \(path))" }
            return "\(reason) (at \(path))"
        }
    }

    public init(text: String) throws(RuleFile.Error) {
        try self.init(utf8: Array(text.utf8))
    }

    /// A rules file's bytes; bytes that are not UTF-8 are rejected with their offset (decoding
    /// them into a `String` first would replace them unnoticed).
    public init(utf8 bytes: [UInt8]) throws(RuleFile.Error) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes: bytes)
        } catch {
            throw Error(rule: nil, path: "$", reason: "rules file is not valid JSON: \(error)")
        }
        try self.init(json: json)
    }

    public init(json: JSONValue) throws(RuleFile.Error) {
        guard case .object(let members) = json else {
            throw Error(rule: nil, path: "$", reason: "rules file must be a JSON object of rule name to pattern")
        }
        var rules: [(name: String, patterns: [EventPattern])] = []
        var seen: Set<String> = []
        for member in members {
            let base = JSONPath.member("$", member.key)
            guard seen.insert(member.key).inserted else {
                throw Error(rule: member.key, path: base, reason: "duplicate rule name")
            }
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
            rules.append((name: member.key, patterns: patterns))
        }
        self.rules = rules
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
