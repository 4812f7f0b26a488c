/// One leaf value of an event, as the value matchers see it.
struct EventValue {
    let kind: FlatEvent.Kind
    /// Decoded string bytes, or the number's text.
    let bytes: UnsafeBufferPointer<UInt8>
    /// For numbers: the exact value, when the text denotes one.
    let double: Double?
    /// The event's regex budget (see `PCRE2Regex`); nil: a budget of its own per evaluation.
    let regexBudget: UnsafeMutablePointer<RegexBudget>?

    init(kind: FlatEvent.Kind, bytes: UnsafeBufferPointer<UInt8>, number: Double, regexBudget: UnsafeMutablePointer<RegexBudget>? = nil) {
        self.kind = kind
        self.bytes = bytes
        self.double = number.isNaN ? nil : number
        self.regexBudget = regexBudget
    }

    /// Whether `regex` matches this value, paid for from the event's budget; nil when the
    /// budget or the limits left it undecided.
    func evaluate(_ regex: PCRE2Regex) -> Bool? {
        if let regexBudget { return regex.evaluate(bytes, budget: &regexBudget.pointee) }
        var own = RegexBudget()
        defer { own.free() }
        return regex.evaluate(bytes, budget: &own)
    }

    /// Whether this event number equals a pattern number: by value when both are exact,
    /// otherwise by text.
    func equals(_ n: NumberValue) -> Bool {
        guard kind == .number else { return false }
        if let x = n.double, let y = double { return x == y }
        return bytes.elementsEqual(n.text.utf8)
    }
}

extension ValueCondition {
    /// Whether one event value satisfies this condition on its own. The compiled index answers
    /// the same question for many conditions at once; this is its definition.
    func matches(_ v: EventValue) -> Bool {
        switch self {
        case .exactString(let s): return v.kind == .string && v.bytes.elementsEqual(s)
        case .exactNumber(let n): return v.equals(n)
        case .literal(let l):
            switch l {
            case .true: return v.kind == .true
            case .false: return v.kind == .false
            case .null: return v.kind == .null
            }
        case .prefix(let p): return v.kind == .string && v.bytes.starts(with: p)
        case .suffix(let s): return v.kind == .string && v.bytes.count >= s.count && v.bytes.reversed().starts(with: s.reversed())
        case .prefixIgnoreCase(let f): return v.kind == .string && f.matchesPrefix(of: v.bytes)
        case .suffixIgnoreCase(let f): return v.kind == .string && f.matchesSuffix(of: v.bytes)
        case .equalsIgnoreCase(let f): return v.kind == .string && f.matches(v.bytes)
        case .wildcard(let w): return v.kind == .string && w.matches(v.bytes)
        case .anythingBut(let a): return a.matches(v)
        case .numeric(let r): return v.double.map { r.contains($0) } ?? false
        case .exists(let present): return present
        case .cidr(let c): return v.kind == .string && IPAddress.parse(v.bytes).map { c.contains($0) } == true
        case .regex(let r): return v.kind == .string && v.evaluate(r) == true
        }
    }
}

extension AnythingBut {
    /// A present value matches unless it is excluded; values of another type are never excluded.
    func matches(_ v: EventValue) -> Bool {
        switch self {
        case .numbers(let excluded):
            guard v.kind == .number else { return true }
            return !excluded.contains { v.equals($0) }
        default:
            guard v.kind == .string else { return true }
        }
        switch self {
        case .strings(let list): return !list.contains { v.bytes.elementsEqual($0) }
        case .prefixes(let list): return !list.contains { v.bytes.starts(with: $0) }
        case .suffixes(let list):
            return !list.contains { s in v.bytes.count >= s.count && v.bytes.reversed().starts(with: s.reversed()) }
        case .equalsIgnoreCase(let list): return !list.contains { $0.matches(v.bytes) }
        case .wildcards(let list): return !list.contains { $0.matches(v.bytes) }
        // Undecided is not a match either way.
        case .regex(let r): return v.evaluate(r) == false
        case .numbers: return true
        }
    }
}

