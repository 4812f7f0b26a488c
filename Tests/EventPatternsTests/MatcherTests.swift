import EventPatterns
import Testing

@Suite("EventMatcher")
struct MatcherTests {
    @Test("several patterns under one name are alternatives; results are a sorted set")
    func alternatives() throws {
        let m = EventMatcher()
        try m.addRule("b", pattern: #"{"x": ["1"]}"#)
        try m.addRule("b", pattern: #"{"y": ["2"]}"#)
        try m.addRule("a", pattern: #"{"x": ["1"], "y": ["2"]}"#)
        #expect(try m.matches(eventJSON: #"{"x": "1", "y": "2"}"#) == ["a", "b"])
        #expect(try m.matches(eventJSON: #"{"y": "2"}"#) == ["b"])
        #expect(m.ruleNames == ["b", "a"])
        #expect(m.patterns(of: "b").count == 2)
    }

    @Test("rules can be removed, whole or one pattern at a time")
    func removal() throws {
        let m = EventMatcher()
        let p1 = try EventPattern(#"{"x": ["1"]}"#)
        let p2 = try EventPattern(#"{"x": ["2"]}"#)
        m.addRule("r", pattern: p1)
        m.addRule("r", pattern: p2)
        m.addRule("s", pattern: p2)
        #expect(try m.matches(eventJSON: #"{"x": "2"}"#) == ["r", "s"])
        #expect(m.removeRule("r", pattern: p2))
        #expect(!m.removeRule("r", pattern: p2))
        #expect(try m.matches(eventJSON: #"{"x": "2"}"#) == ["s"])
        #expect(try m.matches(eventJSON: #"{"x": "1"}"#) == ["r"])
        #expect(m.removeRule("r"))
        #expect(!m.removeRule("r"))
        #expect(try m.matches(eventJSON: #"{"x": "1"}"#) == [])
        #expect(m.ruleNames == ["s"])
    }

    @Test("an empty matcher matches nothing but still validates events")
    func empty() throws {
        let m = EventMatcher()
        #expect(try m.matches(eventJSON: #"{"x": 1}"#) == [])
        #expect(throws: JSONError.self) { try m.matches(eventJSON: #"{"x": }"#) }
    }

    @Test("matching from many tasks while rules are added and removed")
    func concurrency() async throws {
        let m = EventMatcher()
        try m.addRule("stable", pattern: #"{"kind": ["order"]}"#)
        let event = Array(#"{"kind": "order", "n": 5}"#.utf8)
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for i in 0..<200 {
                    try m.addRule("r\(i)", pattern: #"{"n": [{"numeric": [">", \#(i % 10)]}]}"#)
                    if i % 3 == 0 { m.removeRule("r\(i)") }
                }
                return 0
            }
            for _ in 0..<4 {
                group.addTask {
                    var seen = 0
                    for _ in 0..<300 {
                        let names = try m.matches(event: event)
                        // "stable" is never removed: every snapshot has it.
                        if names.contains("stable") { seen += 1 }
                    }
                    return seen
                }
            }
            var total = 0
            for try await n in group { total += n }
            #expect(total == 1200)
        }
        let final = try m.matches(event: event)
        // "stable", plus the numeric rules that were kept (i not a multiple of 3) and accept 5.
        let kept = (0..<200).filter { $0 % 3 != 0 && 5 > $0 % 10 }.map { "r\($0)" }
        #expect(final == (["stable"] + kept).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test("stop-early scanning gives the same answers on well-formed events")
    func stopEarly() throws {
        let fast = EventMatcher(scanning: .stopEarly)
        try fast.addRule("a", pattern: #"{"a": ["x"], "c": {"d": [{"exists": false}]}}"#)
        try fast.addRule("arr", pattern: #"{"arr": {"k": ["1"], "v": ["2"]}}"#)
        #expect(try fast.matches(eventJSON: #"{"a": "x", "z": [1, {"q": [2]}], "c": {"e": 1}}"#) == ["a"])
        #expect(try fast.matches(eventJSON: #"{"arr": [{"k": "1", "v": "3"}, {"k": "1", "v": "2"}], "a": "y"}"#) == ["arr"])
        // After every named field was read, the rest is not examined.
        #expect(try fast.matches(eventJSON: #"{"a": "x", "c": {"e": 1}, "arr": [], "junk": [}"#) == ["a"])
        let strict = EventMatcher()
        try strict.addRule("a", pattern: #"{"a": ["x"]}"#)
        #expect(throws: JSONError.self) { try strict.matches(eventJSON: #"{"a": "x", "junk": [}"#) }
    }

    /// A state reached once per array element is explored once when nothing read after it sits
    /// in an array, and once per element when something does (same-element rules).
    @Test("array elements: fields read afterwards decide whether a state is explored again")
    func arrayElementsAndLaterFields() throws {
        let m = EventMatcher()
        try m.addRule("some-z-not-1", pattern: #"{"geo": {"pts": {"z": [{"anything-but": 1}]}}, "props": {"k": [{"anything-but": "E"}]}}"#)
        try m.addRule("z0-and-x5-together", pattern: #"{"geo": {"pts": {"z": [0], "x": [5]}}, "props": {"k": ["O"]}}"#)
        func event(_ points: [(z: Int, x: Int)], k: String) -> String {
            let list = points.map { #"{"x": \#($0.x), "z": \#($0.z)}"# }.joined(separator: ",")
            return #"{"geo": {"pts": [\#(list)]}, "props": {"k": "\#(k)"}}"#
        }
        #expect(try m.matches(eventJSON: event([(1, 0), (1, 0), (0, 4), (1, 5)], k: "O")) == ["some-z-not-1"])
        #expect(try m.matches(eventJSON: event([(1, 0), (0, 5), (1, 5)], k: "O")) == ["some-z-not-1", "z0-and-x5-together"])
        #expect(try m.matches(eventJSON: event([(1, 5), (0, 5)], k: "O")) == ["some-z-not-1", "z0-and-x5-together"])
        #expect(try m.matches(eventJSON: event([(1, 5), (1, 5)], k: "O")) == [])
        #expect(try m.matches(eventJSON: event([(0, 5), (2, 5)], k: "E")) == [])
    }
}
