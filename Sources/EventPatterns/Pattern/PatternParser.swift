/// Turns a pattern's JSON into conjunctions of field conditions, validating it as EventBridge
/// does and naming the JSON path of the first problem.
enum PatternParser {
    /// AWS rejects patterns whose `$or` branches multiply out to more combinations than this.
    static let maxCombinations = 1000
    /// The longest pattern text accepted, in bytes (EventBridge's EventPattern limit is 4096
    /// characters; EventFlow allows more for local use and documents it).
    static let maxPatternBytes = 256 * 1024
    static let maxDepth = 100

    /// Words that may not appear as field names inside a `$or` branch.
    static let reservedWords: Set<String> = [
        "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr",
        "=", "<", "<=", ">", ">=", "regex",
    ]

    static func parse(_ json: JSONValue) throws(PatternError) -> [Conjunction] {
        guard case .object = json else { throw PatternError(path: "$", reason: "Filter is not an object") }
        let alternatives = try parseObject(json, prefix: "", jsonPath: "$", depth: 0, inOrBranch: false)
        return alternatives.map { fields in
            Conjunction(fields: fields.sorted { $0.key < $1.key }.map { FieldCondition(path: $0.key, alternatives: $0.value) })
        }
    }

    /// A conjunction under construction: path → alternatives.
    typealias Partial = [String: [ValueCondition]]

    static func parseObject(_ json: JSONValue, prefix: String, jsonPath: String, depth: Int, inOrBranch: Bool)
        throws(PatternError) -> [Partial]
    {
        guard case .object(let members) = json else { throw PatternError(path: jsonPath, reason: "Filter is not an object") }
        guard !members.isEmpty else { throw PatternError(path: jsonPath, reason: "Empty objects are not allowed") }
        guard depth < maxDepth else {
            throw PatternError(path: jsonPath, reason: "Pattern nesting is deeper than \(maxDepth) levels")
        }
        // Duplicate keys: the last one wins, as on EventBridge.
        var lastIndex: [String: Int] = [:]
        for (i, m) in members.enumerated() { lastIndex[m.key] = i }

        var result: [Partial] = [[:]]
        for (i, member) in members.enumerated() where lastIndex[member.key] == i {
            let key = member.key
            let path = prefix.isEmpty ? key : prefix + "." + key
            let memberPath = JSONPath.member(jsonPath, key)
            if inOrBranch && reservedWords.contains(key) {
                throw PatternError(path: memberPath, reason: "Unrecognized match type \(key)")
            }
            let options: [Partial]
            if key == "$or", case .array(let branches) = member.value, branches.allSatisfy({ $0.objectMembers != nil }),
                !branches.isEmpty
            {
                guard branches.count >= 2 else {
                    throw PatternError(path: memberPath, reason: "$or must contain at least two alternatives")
                }
                var all: [Partial] = []
                for (b, branch) in branches.enumerated() {
                    all += try parseObject(
                        branch, prefix: prefix, jsonPath: JSONPath.index(memberPath, b), depth: depth + 1, inOrBranch: true)
                    if all.count > maxCombinations { throw tooManyCombinations(memberPath) }
                }
                options = all
            } else {
                switch member.value {
                case .object:
                    options = try parseObject(member.value, prefix: path, jsonPath: memberPath, depth: depth + 1, inOrBranch: inOrBranch)
                case .array(let values):
                    guard !values.isEmpty else { throw PatternError(path: memberPath, reason: "Empty arrays are not allowed") }
                    var alternatives: [ValueCondition] = []
                    // Duplicates dropped through a set: a list of 100,000 values stays linear.
                    var seen: Set<ValueCondition> = []
                    for (k, v) in values.enumerated() {
                        let condition = try ValueParser.parse(v, jsonPath: JSONPath.index(memberPath, k))
                        if seen.insert(condition).inserted { alternatives.append(condition) }
                    }
                    options = [[path: alternatives]]
                default:
                    throw PatternError(path: memberPath, reason: "\"\(key)\" must be an object or an array")
                }
            }
            // AND this member with what came before: every combination of alternatives.
            var combined: [Partial] = []
            combined.reserveCapacity(result.count * options.count)
            for left in result {
                for right in options {
                    combined.append(left.merging(right) { _, new in new })
                    if combined.count > maxCombinations { throw tooManyCombinations(memberPath) }
                }
            }
            result = combined
        }
        return result
    }

    static func tooManyCombinations(_ path: String) -> PatternError {
        PatternError(
            path: path,
            reason: "Rule is too complex - the $or alternatives expand to more than \(maxCombinations) combinations")
    }
}
