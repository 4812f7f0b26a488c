import EventPatterns
import Foundation

/// A deliberately simple matcher for one rule at a time: it walks the raw pattern JSON, expands
/// `$or` by hand, translates every string operator to a PCRE2 regex, and searches for a
/// consistent choice of event fields by brute force. It shares no code with the compiled
/// matcher beyond the JSON types and the PCRE2 wrapper, so the two can check each other.
enum ReferenceMatcher {
    struct Leaf {
        var path: String
        var value: JSONValue
        /// (array id, element index) from the outermost array inward.
        var trail: [(Int, Int)]
    }

    static func matches(pattern: JSONValue, event: JSONValue) -> Bool {
        let leaves = flatten(event)
        return expand(pattern, prefix: nil).contains { conjunction in
            satisfiable(Array(conjunction.sorted { $0.key < $1.key }), 0, leaves, chosen: [])
        }
    }

    // MARK: events

    static func flatten(_ event: JSONValue) -> [Leaf] {
        var out: [Leaf] = []
        var nextArray = 0
        // The path is nil at the top, not "": a member named "" nests like any other
        // (`{"": {"n": 1}}` holds `.n`, not `n`).
        func walk(_ v: JSONValue, _ path: String?, _ trail: [(Int, Int)]) {
            switch v {
            case .object(let members):
                for m in members { walk(m.value, path.map { $0 + "." + m.key } ?? m.key, trail) }
            case .array(let items):
                let id = nextArray
                nextArray += 1
                for (i, item) in items.enumerated() { walk(item, path, trail + [(id, i)]) }
            default:
                out.append(Leaf(path: path ?? "", value: v, trail: trail))
            }
        }
        walk(event, nil, [])
        return out
    }

    static func consistent(_ a: Leaf, _ b: Leaf) -> Bool {
        for (x, y) in zip(a.trail, b.trail) {
            if x.0 != y.0 { return true }
            if x.1 != y.1 { return false }
        }
        return true
    }

    // MARK: patterns

    /// Every conjunction of the pattern: path → alternatives (`prefix` is nil at the top).
    static func expand(_ pattern: JSONValue, prefix: String?) -> [[String: [JSONValue]]] {
        guard case .object(let members) = pattern else { return [] }
        var result: [[String: [JSONValue]]] = [[:]]
        for m in members {
            let path = prefix.map { $0 + "." + m.key } ?? m.key
            var options: [[String: [JSONValue]]]
            if m.key == "$or", case .array(let branches) = m.value {
                options = branches.flatMap { expand($0, prefix: prefix) }
            } else if case .array(let values) = m.value {
                options = [[path: values]]
            } else {
                options = expand(m.value, prefix: path)
            }
            result = result.flatMap { left in options.map { right in left.merging(right) { $1 } } }
        }
        return result
    }

    static func satisfiable(_ conditions: [(key: String, value: [JSONValue])], _ k: Int, _ leaves: [Leaf], chosen: [Leaf]) -> Bool {
        if k == conditions.count { return true }
        let (path, alternatives) = conditions[k]
        let candidates = leaves.filter { $0.path == path }
        for alternative in alternatives {
            if case .object(let op) = alternative, op.count == 1, op[0].key == "exists" {
                let wantPresent = op[0].value == .bool(true)
                // Absence, like every other condition, only looks at values consistent with the
                // fields chosen so far (the same array element).
                let usable = candidates.contains { leaf in chosen.allSatisfy { consistent($0, leaf) } }
                if !wantPresent && !usable && satisfiable(conditions, k + 1, leaves, chosen: chosen) { return true }
                if wantPresent {
                    for leaf in candidates where chosen.allSatisfy({ consistent($0, leaf) }) {
                        if satisfiable(conditions, k + 1, leaves, chosen: chosen + [leaf]) { return true }
                    }
                }
                continue
            }
            for leaf in candidates where chosen.allSatisfy({ consistent($0, leaf) }) && valueMatches(alternative, leaf.value) {
                if satisfiable(conditions, k + 1, leaves, chosen: chosen + [leaf]) { return true }
            }
        }
        return false
    }

    // MARK: values

    static func valueMatches(_ condition: JSONValue, _ v: JSONValue) -> Bool {
        switch condition {
        case .string(let s): return v == .string(s)
        case .number(let n): if case .number(let m) = v { return n.doubleValue == m.doubleValue } else { return false }
        case .bool, .null: return condition == v
        case .array: return false
        case .object(let members):
            let op = members[0].key
            let operand = members[0].value
            switch op {
            case "numeric":
                guard case .number(let n) = v, let x = n.doubleValue else { return false }
                return numeric(operand.arrayValue!, x)
            case "anything-but":
                return anythingBut(operand, v)
            default:
                guard case .string(let s) = v else { return false }
                return regex(op, operand)?.matches(s) ?? false
            }
        }
    }

    static func numeric(_ items: [JSONValue], _ x: Double) -> Bool {
        var i = 0
        while i + 1 < items.count {
            let op = items[i].stringValue!
            guard case .number(let n) = items[i + 1], let y = n.doubleValue else { return false }
            let ok: Bool
            switch op {
            case "=": ok = x == y
            case "<": ok = x < y
            case "<=": ok = x <= y
            case ">": ok = x > y
            default: ok = x >= y
            }
            if !ok { return false }
            i += 2
        }
        return true
    }

    static func anythingBut(_ operand: JSONValue, _ v: JSONValue) -> Bool {
        switch operand {
        case .string, .number: return anythingBut(.array([operand]), v)
        case .array(let list):
            if case .number = list.first {
                guard case .number(let m) = v else { return true }
                return !list.contains { numberEqual($0, m) }
            }
            guard case .string(let s) = v else { return true }
            return !list.contains(.string(s))
        case .object(let members):
            guard case .string(let s) = v else { return true }
            let op = members[0].key
            let values = members[0].value.arrayValue ?? [members[0].value]
            return !values.contains { regex(op, $0)?.matches(s) ?? false }
        default: return false
        }
    }

    static func numberEqual(_ a: JSONValue, _ b: JSONNumber) -> Bool {
        if case .number(let n) = a { return n.doubleValue == b.doubleValue }
        return false
    }

    // MARK: PCRE2 translations of the string operators

    /// Quotes text literally inside a regex (`\Q...\E`, with `\E` itself split out).
    static func quote(_ s: String) -> String {
        "\\Q" + s.replacingOccurrences(of: "\\E", with: "\\E\\\\E\\Q") + "\\E"
    }

    /// Java's per-character rule, spelled out: each UTF-16 character of the pattern may appear
    /// as its lower-case or its upper-case form (`ß` as `ß` or `SS`, `ẞ` as `ẞ` or `ß`);
    /// characters outside the BMP stay as they are (Java maps their surrogates one by one).
    static func ignoreCase(_ s: String) -> String {
        s.unicodeScalars.map { c in
            let text = String(c)
            guard c.value <= 0xFFFF else { return quote(text) }
            let forms = Set([text.lowercased(), text.uppercased()])
            return "(?:" + forms.sorted().map(quote).joined(separator: "|") + ")"
        }.joined()
    }

    static func wildcardRegex(_ w: String) -> String {
        var out = ""
        var literal = ""
        var chars = Array(w)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" && i + 1 < chars.count {
                literal.append(chars[i + 1])
                i += 2
            } else if chars[i] == "*" {
                out += quote(literal) + ".*"
                literal = ""
                i += 1
            } else {
                literal.append(chars[i])
                i += 1
            }
        }
        chars = []
        return out + quote(literal)
    }

    static func regex(_ op: String, _ operand: JSONValue) -> PCRE2Regex? {
        let source: String
        switch (op, operand) {
        case ("prefix", .string(let s)): source = "(?s)" + quote(s) + ".*"
        case ("prefix", .object(let m)): source = "(?s)" + ignoreCase(m[0].value.stringValue!) + ".*"
        case ("suffix", .string(let s)): source = "(?s).*" + quote(s)
        case ("suffix", .object(let m)): source = "(?s).*" + ignoreCase(m[0].value.stringValue!)
        case ("equals-ignore-case", .string(let s)): source = ignoreCase(s)
        case ("exactly", .string(let s)): source = quote(s)
        case ("wildcard", .string(let s)): source = "(?s)" + wildcardRegex(s)
        case ("regex", .string(let s)): source = s
        case ("cidr", .string(let s)): source = cidrRegex(s)
        default: return nil
        }
        return try? PCRE2Regex(source)
    }

    /// Octet-aligned IPv4 blocks only (all the generator makes): 10.1.0.0/16 → 10\.1\.\d+\.\d+.
    static func cidrRegex(_ s: String) -> String {
        let parts = s.split(separator: "/")
        let octets = parts[0].split(separator: ".")
        let keep = Int(parts[1])! / 8
        let octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
        var pieces = octets.prefix(keep).map { quote(String($0)) }
        pieces += Array(repeating: octet, count: 4 - keep)
        return pieces.joined(separator: "\\.")
    }
}

