/// One leaf value of an event, as the value matchers see it.
struct EventValue {
    let kind: FlatEvent.Kind
    /// Decoded string bytes, or the number's text.
    let bytes: UnsafeBufferPointer<UInt8>

    /// The number (text and exact value) when `kind == .number`.
    var number: NumberValue? {
        kind == .number ? NumberValue(text: String(decoding: bytes, as: UTF8.self)) : nil
    }
}

extension ValueCondition {
    /// Whether one event value satisfies this condition on its own. The compiled index answers
    /// the same question for many conditions at once; this is its definition.
    func matches(_ v: EventValue) -> Bool {
        switch self {
        case .exactString(let s): return v.kind == .string && v.bytes.elementsEqual(s)
        case .exactNumber(let n): return v.number.map { NumberValue.equal(n, $0) } ?? false
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
        case .numeric(let r): return v.number?.double.map { r.contains($0) } ?? false
        case .exists(let present): return present
        case .cidr(let c): return v.kind == .string && IPAddress.parse(v.bytes).map { c.contains($0) } == true
        case .regex(let r): return v.kind == .string && r.matches(v.bytes)
        }
    }
}

extension AnythingBut {
    /// A present value matches unless it is excluded; values of another type are never excluded.
    func matches(_ v: EventValue) -> Bool {
        switch self {
        case .numbers(let excluded):
            guard let n = v.number else { return true }
            return !excluded.contains { NumberValue.equal($0, n) }
        default:
            guard v.kind == .string else { return true }
        }
        switch self {
        case .strings(let set): return !set.contains(Array(v.bytes))
        case .prefixes(let list): return !list.contains { v.bytes.starts(with: $0) }
        case .suffixes(let list):
            return !list.contains { s in v.bytes.count >= s.count && v.bytes.reversed().starts(with: s.reversed()) }
        case .equalsIgnoreCase(let list): return !list.contains { $0.matches(v.bytes) }
        case .wildcards(let list): return !list.contains { $0.matches(v.bytes) }
        case .regex(let r): return !r.matches(v.bytes)
        case .numbers: return true
        }
    }
}

extension NumberValue {
    /// Equal by value when both are exact, otherwise by text.
    static func equal(_ a: NumberValue, _ b: NumberValue) -> Bool {
        if let x = a.double, let y = b.double { return x == y }
        return a.text == b.text
    }
}
