@testable import EventPatterns
import Testing

/// Matching work grows linearly with the event: counted in states visited and event fields
/// examined, never in time.
@Suite("Match cost")
struct MatchCostTests {
    static func items(_ n: Int, every: Int = 7) -> [UInt8] {
        var text = #"{"id": "1", "detail": {"items": ["#
        for i in 0..<n {
            if i > 0 { text += "," }
            text += #"{"sku": "\#(i % every == 0 ? "A" : "B\(i)")", "qty": \#(i % 5)}"#
        }
        return Array((text + "]}}").utf8)
    }

    static let rule = #"{"detail": {"items": {"sku": ["A"], "qty": [{"numeric": [">=", 2]}]}}}"#

    @Test("10,000 objects against an array-consistent rule: work linear in the items", arguments: [1_000, 10_000])
    func arrayOfObjects(n: Int) throws {
        let m = EventMatcher()
        try m.addRule("r", pattern: Self.rule)
        let (names, work) = try m.matchesMeasuringWork(event: Self.items(n))
        // Item 7 has sku A and qty 2.
        #expect(names == ["r"])
        // Every qty is examined once, and per qty ≥ 2 at most two skus (its own and the next,
        // which ends the search): pairs would be n²/2.
        #expect(work.candidatesExamined <= 4 * n, "\(work)")
        #expect(work.statesVisited <= n + 1, "\(work)")
    }

    @Test("no element has both: no match, same linear bound")
    func noConsistentElement() throws {
        let m = EventMatcher()
        try m.addRule("r", pattern: Self.rule)
        // sku A only where qty is 0 (i % 5 == 0 and i % 5 == 0): every 5th is A, qty 0 there.
        let (names, work) = try m.matchesMeasuringWork(event: Self.items(10_000, every: 5))
        #expect(names == [])
        #expect(work.candidatesExamined <= 4 * 10_000, "\(work)")
    }

    @Test("exists:false inside 10,000 objects: linear, and scoped to the element")
    func absentInArray() throws {
        let m = EventMatcher()
        try m.addRule("r", pattern: #"{"detail": {"items": {"qty": [4], "sku": [{"exists": false}]}}}"#)
        var text = #"{"detail": {"items": ["#
        for i in 0..<10_000 {
            if i > 0 { text += "," }
            text += i == 9_999 ? #"{"qty": 4}"# : #"{"sku": "x", "qty": \#(i % 4)}"#
        }
        let (names, work) = try m.matchesMeasuringWork(event: Array((text + "]}}").utf8))
        #expect(names == ["r"])
        #expect(work.candidatesExamined <= 3 * 10_000, "\(work)")
    }

    @Test("nested arrays: an element's fields are found by jumping, results as the reference")
    func nestedArrays() throws {
        let pattern = #"{"a": {"b": {"x": ["1"], "y": ["2"]}}}"#
        let m = EventMatcher()
        try m.addRule("r", pattern: pattern)
        let events = [
            #"{"a": [{"b": [{"x": "1"}, {"y": "2"}]}, {"b": [{"x": "1", "y": "2"}]}]}"#,
            #"{"a": [{"b": [{"x": "1"}, {"y": "2"}]}, {"b": [{"x": "3", "y": "2"}]}]}"#,
            #"{"a": [{"b": [{"x": "1"}]}, {"b": {"y": "2"}}]}"#,
            #"{"a": {"b": [[{"x": "1"}, {"y": "2"}], [{"x": "1", "y": "2"}]]}}"#,
            #"{"a": {"b": [[{"x": "1"}, {"y": "2"}], [{"y": "2"}, {"x": "1"}]]}}"#,
            #"{"a": [{"b": {"x": "1"}}, {"b": {"y": "2"}}], "a.b.y": "2"}"#,
        ]
        for e in events {
            let reference = ReferenceMatcher.matches(pattern: try JSONParser.parse(pattern), event: try JSONParser.parse(e))
            #expect(try m.matches(eventJSON: e) == (reference ? ["r"] : []), "\(e)")
        }
    }

    @Test("a field whose rules have all matched is not read further, and a rule asks its exact field first")
    func saturationAndSelectiveOrder() throws {
        let m = EventMatcher()
        // 45 leaf-only conditions on qty that every value satisfies, and one two-field rule
        // whose broad field (qty ≥ 0) sorts before its exact one (sku) by path.
        for r in 0..<45 { try m.addRule("not\(r)", pattern: #"{"detail": {"items": {"qty": [{"anything-but": [\#(100 + r)]}]}}}"#) }
        try m.addRule("pair", pattern: #"{"detail": {"items": {"qty": [{"numeric": [">=", 0]}], "sku": ["A"]}}}"#)
        let (names, work) = try m.matchesMeasuringWork(event: Self.items(10_000))
        #expect(names == ((0..<45).map { "not\($0)" } + ["pair"]).sorted())
        // 10,000 skus looked up, 1,429 of them "A", each checking its element's qty; the qty
        // field at the start stops after its first value. Asking qty first would visit the
        // pair's second state 10,000 times; reading every qty would examine 10,000 more.
        #expect(work.candidatesExamined < 15_000, "\(work)")
        #expect(work.statesVisited <= 1_431, "\(work)")
    }

    @Test("regexes with a required literal are tried only on values containing it")
    func regexByLiteral() throws {
        let m = EventMatcher()
        let wanted = [1234, 5678, 9012, 3456, 7890]
        for n in wanted { try m.addRule("r\(n)", pattern: #"{"items": {"name": [{"regex": "ORD-0*\#(n) item [0-9]+"}]}}"#) }
        let names = (0..<10_000).map { #"{"name": "ORD-\#($0) item \#($0)"}"# }.joined(separator: ",")
        let (matched, work) = try m.matchesMeasuringWork(event: Array(#"{"items": [\#(names)]}"#.utf8))
        #expect(matched == wanted.map { "r\($0)" }.sorted())
        // One evaluation per rule (the only name containing "1234 item " is ORD-1234's), not
        // 50,000, which would also spend the event's budget and leave most undecided.
        #expect(work.regex.undecided == 0, "\(work)")
        #expect(work.regex.backtrackingRuns + work.regex.dfaRuns <= 10, "\(work)")
    }
}
