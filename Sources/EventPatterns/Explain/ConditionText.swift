/// Conditions as explanations show them: the operator as the pattern names it and the operand
/// as JSON (`prefix "init"`, `numeric [">", 0, "<=", 5]`, `exists false`; plain values alone).
extension ValueCondition {
    var explained: PatternExplanation.Condition {
        switch self {
        case .exactString(let s): return .init(kind: "exact", operand: Self.quoted(s))
        case .exactNumber(let n): return .init(kind: "exact", operand: n.text)
        case .literal(.true): return .init(kind: "exact", operand: "true")
        case .literal(.false): return .init(kind: "exact", operand: "false")
        case .literal(.null): return .init(kind: "exact", operand: "null")
        case .prefix(let p): return .init(kind: "prefix", operand: Self.quoted(p))
        case .suffix(let s): return .init(kind: "suffix", operand: Self.quoted(s))
        case .prefixIgnoreCase(let f): return .init(kind: "prefix equals-ignore-case", operand: Self.quoted(f.original))
        case .suffixIgnoreCase(let f): return .init(kind: "suffix equals-ignore-case", operand: Self.quoted(f.original))
        case .equalsIgnoreCase(let f): return .init(kind: "equals-ignore-case", operand: Self.quoted(f.original))
        case .wildcard(let w): return .init(kind: "wildcard", operand: Self.quoted(w.source))
        case .anythingBut(let a): return a.explained
        case .numeric(let r): return .init(kind: "numeric", operand: r.explainedOperand)
        case .exists(let present): return .init(kind: "exists", operand: present ? "true" : "false")
        case .cidr(let c): return .init(kind: "cidr", operand: Self.quoted(c.source))
        case .regex(let r): return .init(kind: "regex", operand: Self.quoted(r.pattern))
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
    var explained: PatternExplanation.Condition {
        let (form, items): (String, [String])
        switch self {
        case .strings(let list): (form, items) = ("", list.map(ValueCondition.quoted))
        case .numbers(let list): (form, items) = ("", list.map(\.text))
        case .prefixes(let list): (form, items) = (" prefix", list.map(ValueCondition.quoted))
        case .suffixes(let list): (form, items) = (" suffix", list.map(ValueCondition.quoted))
        case .equalsIgnoreCase(let list): (form, items) = (" equals-ignore-case", list.map { ValueCondition.quoted($0.original) })
        case .wildcards(let list): (form, items) = (" wildcard", list.map { ValueCondition.quoted($0.source) })
        case .regex(let r): (form, items) = (" regex", [ValueCondition.quoted(r.pattern)])
        }
        return .init(kind: "anything-but" + form, operand: ValueCondition.operand(items))
    }
}

extension NumericRange {
    /// The range in the pattern's own form: `["=", 5]`, `[">", 0, "<=", 5]`, `["<", 10]`.
    var explainedOperand: String {
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
