import EventPatterns

/// A small, seeded PRNG (SplitMix64) so every property-test failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random events and rules over a small vocabulary, so that rules often match.
struct RandomPatterns {
    var rng: SplitMix64

    static let strings = ["", "a", "ab", "abc", "Abc", "ABC", "b*c", "xyz", "aXbYc", "10.1.2.3", "10.2.0.1", "192.168.1.9", "ORD-42", "straße", "STRAẞE", "ẞ", "ss"]
    static let numbers: [JSONValue] = [
        .number(JSONNumber(text: "-1")), .number(JSONNumber(text: "0")), .number(JSONNumber(text: "1.5")),
        .number(JSONNumber(text: "5")), .number(JSONNumber(text: "300")), .number(JSONNumber(text: "3e2")),
        .number(JSONNumber(text: "300.0")), .number(JSONNumber(text: "1000000")),
    ]
    static let scalarPaths = ["a", "b", "c.d", "c.e"]
    static let arrayPath = "arr"
    static let arrayFields = ["x", "y"]

    mutating func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    mutating func scalar() -> JSONValue {
        switch rng.next() % 10 {
        case 0..<5: return .string(pick(Self.strings))
        case 5..<8: return pick(Self.numbers)
        case 8: return .bool(chance(50))
        default: return .null
        }
    }

    mutating func leafValue() -> JSONValue {
        if chance(20) { return .array((0..<Int(rng.next() % 3)).map { _ in scalar() }) }
        return scalar()
    }

    mutating func event() -> JSONValue {
        var members: [JSONMember] = []
        for path in ["a", "b"] where chance(80) { members.append(JSONMember(path, leafValue())) }
        if chance(80) {
            var c: [JSONMember] = []
            for key in ["d", "e"] where chance(75) { c.append(JSONMember(key, leafValue())) }
            if chance(15) { members.append(JSONMember("c.d", leafValue())) } else { members.append(JSONMember("c", .object(c))) }
        }
        if chance(60) {
            let elements: [JSONValue] = (0..<Int(rng.next() % 4)).map { _ in
                var m: [JSONMember] = []
                for key in Self.arrayFields where chance(80) { m.append(JSONMember(key, scalar())) }
                return .object(m)
            }
            members.append(JSONMember(Self.arrayPath, .array(elements)))
        }
        return .object(members)
    }

    /// Operands for the string operators, including characters whose case forms are not one to
    /// one (`ß` upper-cases to `SS`, `ẞ` lower-cases to `ß`).
    mutating func stringOperand() -> String {
        pick(Self.strings.filter { !$0.contains("*") } + ["STRASSE", "STRAẞE", "ẞ", "aẞ", "ß"])
    }

    /// One alternative of a value list: every operator EventBridge has, plus regex.
    mutating func condition() -> JSONValue {
        switch rng.next() % 19 {
        case 0, 1: return .string(pick(Self.strings))
        case 2: return pick(Self.numbers)
        case 3: return chance(50) ? .bool(chance(50)) : .null
        case 4: return ["prefix": .string(stringOperand())]
        case 5: return ["suffix": .string(stringOperand())]
        case 6: return ["prefix": ["equals-ignore-case": .string(stringOperand())]]
        case 7: return ["suffix": ["equals-ignore-case": .string(stringOperand())]]
        case 8: return ["equals-ignore-case": .string(stringOperand())]
        case 9: return ["wildcard": .string(pick(["*", "a*", "*c", "a*c", "*b*", "a*b*c", "A*", "b\\*c", "", "10.*.3", "*.*", "*a*c*", "*1.*"]))]
        case 10:
            switch rng.next() % 6 {
            case 0: return ["anything-but": .string(pick(Self.strings))]
            case 1: return ["anything-but": .array([.string(pick(Self.strings)), .string(pick(Self.strings))])]
            case 2: return ["anything-but": pick(Self.numbers)]
            case 3: return ["anything-but": ["prefix": .string(pick(["a", "A", "10."]))]]
            case 4: return ["anything-but": ["suffix": .array([.string("c"), .string("z")])]]
            default: return ["anything-but": ["wildcard": .string(pick(["a*", "*c", "*b*"]))]]
            }
        case 11: return ["anything-but": ["equals-ignore-case": .string(stringOperand())]]
        case 12:
            switch rng.next() % 4 {
            case 0: return ["numeric": [.string(pick(["<", "<=", ">", ">="])), pick(Self.numbers)]]
            case 1: return ["numeric": [.string("="), pick(Self.numbers)]]
            case 2: return ["numeric": [">", -1, "<=", 300]]
            default: return ["numeric": [">=", 0, "<", 5]]
            }
        case 13, 14: return ["exists": .bool(chance(50))]
        case 15: return ["cidr": .string(pick(["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "192.168.0.0/16"]))]
        case 16: return ["regex": .string(pick(["a.*", "[a-z]+", "ORD-[0-9]+", "(?i)abc", "", ".*b.*", "10\\.[0-9.]+", ".*b+c", "x?abc.*", "[0-9]+\\.1.*"]))]
        case 17: return ["anything-but": ["regex": .string(pick(["a.*", "[0-9.]+"]))]]
        default: return ["exactly": .string(pick(Self.strings))]
        }
    }

    mutating func valueList() -> JSONValue {
        .array((0..<(1 + Int(rng.next() % 3))).map { _ in condition() })
    }

    /// A rule over 1–3 fields, sometimes with `$or`, sometimes on the array of objects.
    mutating func rule() -> JSONValue {
        var members: [JSONMember] = []
        var paths = Self.scalarPaths + Self.arrayFields.map { Self.arrayPath + "." + $0 }
        for _ in 0..<(1 + Int(rng.next() % 3)) where !paths.isEmpty {
            let path = paths.remove(at: Int(rng.next() % UInt64(paths.count)))
            members.append(JSONMember(path, valueList()))
        }
        if chance(20) {
            let branches: [JSONValue] = (0..<2).map { _ in .object([JSONMember(pick(Self.scalarPaths), valueList())]) }
            members.append(JSONMember("$or", .array(branches)))
        }
        return .object(members)
    }
}
