/// Conditions as explanations print them: the operator, then its operand as JSON
/// (`prefix "init"`, `numeric [">", 0, "<=", 5]`, `exists false`; exact values alone).
extension ValueCondition {
    var explanationText: String {
        switch self {
        case .exactString(let s): return Self.quoted(s)
        case .exactNumber(let n): return n.text
        case .literal(.true): return "true"
        case .literal(.false): return "false"
        case .literal(.null): return "null"
        case .prefix(let p): return "prefix " + Self.quoted(p)
        case .suffix(let s): return "suffix " + Self.quoted(s)
        case .prefixIgnoreCase(let f): return "prefix equals-ignore-case " + Self.quoted(f.original)
        case .suffixIgnoreCase(let f): return "suffix equals-ignore-case " + Self.quoted(f.original)
        case .equalsIgnoreCase(let f): return "equals-ignore-case " + Self.quoted(f.original)
        case .wildcard(let w): return "wildcard " + Self.quoted(w.source)
        case .anythingBut(let a): return "anything-but " + a.explanationText
        case .numeric(let r): return "numeric " + r.explanationText
        case .exists(let present): return present ? "exists true" : "exists false"
        case .cidr(let c): return "cidr " + Self.quoted(c.source)
        case .regex(let r): return "regex " + Self.quoted(r.pattern)
        }
    }

    static func quoted(_ s: String) -> String { JSONValue.string(s).jsonText }
    static func quoted(_ bytes: [UInt8]) -> String { quoted(String(decoding: bytes, as: UTF8.self)) }

    /// One operand as itself, several as a JSON list: `"a"`, `["a", "b"]`.
    static func operand(_ items: [String]) -> String {
        items.count == 1 ? items[0] : "[" + items.joined(separator: ", ") + "]"
    }
}

extension AnythingBut {
    var explanationText: String {
        switch self {
        case .strings(let list): return ValueCondition.operand(list.map(ValueCondition.quoted))
        case .numbers(let list): return ValueCondition.operand(list.map(\.text))
        case .prefixes(let list): return "prefix " + ValueCondition.operand(list.map(ValueCondition.quoted))
        case .suffixes(let list): return "suffix " + ValueCondition.operand(list.map(ValueCondition.quoted))
        case .equalsIgnoreCase(let list): return "equals-ignore-case " + ValueCondition.operand(list.map { ValueCondition.quoted($0.original) })
        case .wildcards(let list): return "wildcard " + ValueCondition.operand(list.map { ValueCondition.quoted($0.source) })
        case .regex(let r): return "regex " + ValueCondition.quoted(r.pattern)
        }
    }
}

extension NumericRange {
    /// The range in the pattern's own form: `["=", 5]`, `[">", 0, "<=", 5]`, `["<", 10]`.
    var explanationText: String {
        func number(_ d: Double) -> String { JSONNumber(d).text }
        var items: [String] = []
        if let lower, let upper, lower == upper, lowerInclusive, upperInclusive {
            items = ["\"=\"", number(lower)]
        } else {
            if let lower { items += [lowerInclusive ? "\">=\"" : "\">\"", number(lower)] }
            if let upper { items += [upperInclusive ? "\"<=\"" : "\"<\"", number(upper)] }
        }
        return "[" + items.joined(separator: ", ") + "]"
    }
}
