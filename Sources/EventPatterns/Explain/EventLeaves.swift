/// An event's leaf values (strings, numbers, booleans, null) as patterns address them: by the
/// dotted path of member names (`{"a": {"b": 1}}` and `{"a.b": 1}` both give `a.b`), with array
/// elements at their array's path. Objects and empty arrays are no value (absent).
struct EventLeaf {
    /// The field path patterns use: member names joined with ".".
    var path: String
    var value: JSONValue
    /// Where the value is, as a JSON path with array indexes.
    var location: String
    /// The arrays the value sits in, outermost first: (array number, element index).
    var trail: [(array: Int, index: Int)]

    /// Two values may serve one alternative unless they sit in different elements of one array.
    func consistent(with other: EventLeaf) -> Bool {
        for (a, b) in zip(trail, other.trail) {
            if a.array != b.array { return true }
            if a.index != b.index { return false }
        }
        return true
    }

    static func leaves(of event: JSONValue) -> [EventLeaf] {
        var out: [EventLeaf] = []
        var arrays = 0
        func walk(_ v: JSONValue, _ path: String, _ location: String, _ trail: [(array: Int, index: Int)]) {
            switch v {
            case .object(let members):
                for m in members {
                    walk(m.value, path.isEmpty ? m.key : path + "." + m.key, JSONPath.member(location, m.key), trail)
                }
            case .array(let items):
                let id = arrays
                arrays += 1
                for (i, item) in items.enumerated() { walk(item, path, JSONPath.index(location, i), trail + [(id, i)]) }
            default:
                out.append(EventLeaf(path: path, value: v, location: location, trail: trail))
            }
        }
        walk(event, "", "$", [])
        return out
    }

    /// Whether `condition` holds for this value alone (the definition the matcher's index uses).
    func satisfies(_ condition: ValueCondition) -> Bool {
        func check(_ kind: FlatEvent.Kind, _ text: String, number: Double = .nan) -> Bool {
            var text = text
            return text.withUTF8 { condition.matches(EventValue(kind: kind, bytes: $0, number: number)) }
        }
        switch value {
        case .string(let s): return check(.string, s)
        case .number(let n):
            var text = n.text
            let exact = text.withUTF8 { EventNumber.exactValue($0) } ?? .nan
            return check(.number, text, number: exact)
        case .bool(let b): return check(b ? .true : .false, "")
        case .null: return check(.null, "")
        case .array, .object: return false
        }
    }

    var explained: PatternExplanation.Value { PatternExplanation.Value(location: location, json: value.jsonText) }
}
