/// Parses one element of a pattern's value array: a literal or an operator object.
enum ValueParser {
    static func parse(_ v: JSONValue, jsonPath: String) throws(PatternError) -> ValueCondition {
        switch v {
        case .string(let s): return .exactString(Array(s.utf8))
        case .number(let n): return .exactNumber(NumberValue(text: n.text))
        case .bool(let b): return .literal(b ? .true : .false)
        case .null: return .literal(.null)
        case .array:
            throw PatternError(path: jsonPath, reason: "Match value must be String, number, true, false, or null")
        case .object(let members):
            guard !members.isEmpty else { throw PatternError(path: jsonPath, reason: "Empty objects are not allowed") }
            guard members.count == 1 else {
                throw PatternError(path: jsonPath, reason: "Only one key allowed in match expression")
            }
            let op = members[0].key
            return try parseOperator(op, members[0].value, jsonPath: JSONPath.member(jsonPath, op))
        }
    }

    static func parseOperator(_ op: String, _ operand: JSONValue, jsonPath: String) throws(PatternError) -> ValueCondition {
        func fail(_ reason: String) -> PatternError { PatternError(path: jsonPath, reason: reason) }
        switch op {
        case "exactly":
            guard case .string(let s) = operand else { throw fail("exactly match pattern must be a string") }
            return .exactString(Array(s.utf8))
        case "prefix", "suffix":
            switch operand {
            case .string(let s): return op == "prefix" ? .prefix(Array(s.utf8)) : .suffix(Array(s.utf8))
            case .object(let m) where m.count == 1 && m[0].key == "equals-ignore-case":
                guard case .string(let s) = m[0].value else {
                    throw PatternError(
                        path: JSONPath.member(jsonPath, "equals-ignore-case"),
                        reason: "equals-ignore-case match pattern must be a string")
                }
                return op == "prefix" ? .prefixIgnoreCase(FoldedString(s)) : .suffixIgnoreCase(FoldedString(s))
            default: throw fail("\(op) match pattern must be a string")
            }
        case "equals-ignore-case":
            guard case .string(let s) = operand else { throw fail("equals-ignore-case match pattern must be a string") }
            return .equalsIgnoreCase(FoldedString(s))
        case "wildcard":
            guard case .string(let s) = operand else { throw fail("wildcard match pattern must be a string") }
            switch Wildcard.parse(s) {
            case .success(let w): return .wildcard(w)
            case .failure(let e): throw fail(e.reason)
            }
        case "anything-but":
            return .anythingBut(try parseAnythingBut(operand, jsonPath: jsonPath))
        case "numeric":
            return .numeric(try parseNumeric(operand, jsonPath: jsonPath))
        case "exists":
            guard case .bool(let b) = operand else { throw fail("exists match pattern must be either true or false.") }
            return .exists(b)
        case "cidr":
            guard case .string(let s) = operand else { throw fail("prefix match pattern must be a string") }
            switch CIDRBlock.parse(s) {
            case .success(let c): return .cidr(c)
            case .failure(let e): throw fail(e.reason)
            }
        case "regex":
            return .regex(try parseRegex(operand, jsonPath: jsonPath))
        default:
            throw fail("Unrecognized match type \(op)")
        }
    }

    static func parseRegex(_ operand: JSONValue, jsonPath: String) throws(PatternError) -> PCRE2Regex {
        guard case .string(let s) = operand else {
            throw PatternError(path: jsonPath, reason: "regex match pattern must be a string")
        }
        do {
            return try PCRE2Regex(s)
        } catch {
            throw PatternError(path: jsonPath, reason: error.description)
        }
    }

    static func parseAnythingBut(_ operand: JSONValue, jsonPath: String) throws(PatternError) -> AnythingBut {
        let badValue = "Value of anything-but must be an array or single string/number value."
        func fail(_ reason: String, _ path: String = jsonPath) -> PatternError { PatternError(path: path, reason: reason) }
        switch operand {
        case .string(let s): return .strings([Array(s.utf8)])
        case .number(let n): return .numbers([NumberValue(text: n.text)])
        case .null, .bool: throw fail(badValue)
        case .array(let values):
            var strings: [[UInt8]] = []
            var seen: Set<[UInt8]> = []
            var numbers: [NumberValue] = []
            for (k, v) in values.enumerated() {
                switch v {
                case .string(let s): if seen.insert(Array(s.utf8)).inserted { strings.append(Array(s.utf8)) }
                case .number(let n): numbers.append(NumberValue(text: n.text))
                case .null, .bool:
                    throw fail("Inside anything but list, start|null|boolean is not supported.", JSONPath.index(jsonPath, k))
                default: throw fail(badValue, JSONPath.index(jsonPath, k))
                }
            }
            if values.isEmpty || (!strings.isEmpty && !numbers.isEmpty) {
                throw fail("Inside anything but list, either all values are number or string, mixed type is not supported")
            }
            return strings.isEmpty ? .numbers(numbers) : .strings(strings)
        case .object(let members):
            guard members.count == 1 else {
                throw fail(members.isEmpty ? "Empty objects are not allowed" : "Only one key allowed in match expression")
            }
            let op = members[0].key
            let value = members[0].value
            let opPath = JSONPath.member(jsonPath, op)
            switch op {
            case "prefix", "suffix", "equals-ignore-case", "wildcard":
                var texts: [String] = []
                switch value {
                case .string(let s): texts = [s]
                case .array(let list) where !list.isEmpty:
                    for (k, item) in list.enumerated() {
                        guard case .string(let s) = item else {
                            let reason =
                                op == "equals-ignore-case"
                                ? "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
                                : "Inside anything-but/\(op) list, number|start|null|boolean is not supported."
                            throw fail(reason, JSONPath.index(opPath, k))
                        }
                        texts.append(s)
                    }
                case .object: throw fail(badValue, opPath)
                default: throw fail("\(op) match pattern must be a string", opPath)
                }
                switch op {
                case "prefix", "suffix":
                    if texts.contains("") { throw fail("Null prefix/suffix not allowed", opPath) }
                    let bytes = texts.map { Array($0.utf8) }
                    return op == "prefix" ? .prefixes(bytes) : .suffixes(bytes)
                case "equals-ignore-case":
                    return .equalsIgnoreCase(texts.map(FoldedString.init))
                default:
                    var wildcards: [Wildcard] = []
                    for t in texts {
                        switch Wildcard.parse(t) {
                        case .success(let w): wildcards.append(w)
                        case .failure(let e): throw fail(e.reason, opPath)
                        }
                    }
                    return .wildcards(wildcards)
                }
            case "regex":
                return .regex(try parseRegex(value, jsonPath: opPath))
            default:
                throw fail("Unsupported anything-but pattern: \(op)", opPath)
            }
        }
    }

    static func parseNumeric(_ operand: JSONValue, jsonPath: String) throws(PatternError) -> NumericRange {
        func fail(_ reason: String) -> PatternError { PatternError(path: jsonPath, reason: reason) }
        guard case .array(let items) = operand else { throw fail("Value of numeric must be an array.") }
        guard !items.isEmpty else { throw fail("Empty arrays are not allowed") }
        var range = NumericRange()
        var i = 0
        func readOperand(_ op: String) throws(PatternError) -> Double {
            guard i < items.count, case .number(let n) = items[i] else { throw fail("Value of \(op) must be numeric") }
            // Out of a double's range either way: overflow (1E400 reads as infinity) or underflow
            // (1E-325 reads as 0, which it is not), as event-ruler rejects both.
            guard let d = Double(n.text), d.isFinite, d != 0 || !hasNonzeroDigit(n.text) else {
                throw fail("Cannot compare number : \(n.text)")
            }
            i += 1
            return d
        }
        guard case .string(let first) = items[0] else { throw fail("Unrecognized numeric range operator: \(items[0].jsonText)") }
        i = 1
        switch first {
        case "=":
            let x = try readOperand(first)
            range = NumericRange(lower: x, lowerInclusive: true, upper: x, upperInclusive: true)
        case "<", "<=":
            range.upper = try readOperand(first)
            range.upperInclusive = first == "<="
        case ">", ">=":
            range.lower = try readOperand(first)
            range.lowerInclusive = first == ">="
            if i < items.count {
                guard case .string(let second) = items[i] else {
                    throw fail("Unrecognized numeric range operator: \(items[i].jsonText)")
                }
                guard second == "<" || second == "<=" else {
                    if [">", ">=", "="].contains(second) { throw fail("Bad numeric range operator: \(second)") }
                    throw fail("Unrecognized numeric range operator: \(second)")
                }
                i += 1
                let top = try readOperand(second)
                guard range.lower! < top else { throw fail("Bottom must be less than top") }
                range.upper = top
                range.upperInclusive = second == "<="
            }
        default:
            throw fail("Unrecognized numeric range operator: \(first)")
        }
        if i < items.count { throw fail("Too many elements in numeric expression") }
        return range
    }

    /// Whether a JSON number's significand (the text before any exponent) has a digit other
    /// than 0, that is, whether the number is not zero.
    static func hasNonzeroDigit(_ text: String) -> Bool {
        for b in text.utf8 {
            if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { return false }
            if b >= UInt8(ascii: "1") && b <= UInt8(ascii: "9") { return true }
        }
        return false
    }
}
