import EventPatterns
import Testing

@Suite("EventPattern.explain")
struct ExplainTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var pattern: String
        var event: String
        var text: String
        var testDescription: String { pattern + " / " + event }
    }

    func explain(_ pattern: String, _ event: String) throws -> PatternExplanation {
        let p = try EventPattern(pattern)
        let explanation = try p.explain(eventJSON: event)
        #expect(explanation.matched == (try p.matches(eventJSON: Array(event.utf8))))
        return explanation
    }

    /// Every operator, matching and failing, with the exact text.
    static let operatorCases: [Case] = [
        Case(pattern: #"{"s": ["abc"]}"#, event: #"{"s": "abc"}"#, text: "match\n  $.s: \"abc\" matched \"abc\""),
        Case(pattern: #"{"s": ["abc"]}"#, event: #"{"s": "ABC"}"#, text: "no match\n  $.s: has \"ABC\"; wanted \"abc\""),
        Case(pattern: #"{"n": [300]}"#, event: #"{"n": 3e2}"#, text: "match\n  $.n: 3e2 matched 300"),
        Case(pattern: #"{"n": [300]}"#, event: #"{"n": "300"}"#, text: "no match\n  $.n: has \"300\"; wanted 300"),
        Case(pattern: #"{"v": [null]}"#, event: #"{"v": null}"#, text: "match\n  $.v: null matched null"),
        Case(pattern: #"{"v": [null]}"#, event: #"{"v": ""}"#, text: "no match\n  $.v: has \"\"; wanted null"),
        Case(pattern: #"{"ok": [true]}"#, event: #"{"ok": true}"#, text: "match\n  $.ok: true matched true"),
        Case(pattern: #"{"ok": [true, false]}"#, event: #"{"ok": "true"}"#, text: "no match\n  $.ok: has \"true\"; wanted true or false"),
        Case(pattern: #"{"a": [{"prefix": "init"}]}"#, event: #"{"a": "initial"}"#, text: "match\n  $.a: \"initial\" matched prefix \"init\""),
        Case(pattern: #"{"a": [{"prefix": "init"}]}"#, event: #"{"a": "in"}"#, text: "no match\n  $.a: has \"in\"; wanted prefix \"init\""),
        Case(pattern: #"{"a": [{"suffix": ".png"}]}"#, event: #"{"a": "x.png"}"#, text: "match\n  $.a: \"x.png\" matched suffix \".png\""),
        Case(pattern: #"{"a": [{"suffix": ".png"}]}"#, event: #"{"a": "x.PNG"}"#, text: "no match\n  $.a: has \"x.PNG\"; wanted suffix \".png\""),
        Case(
            pattern: #"{"a": [{"equals-ignore-case": "alice"}]}"#, event: #"{"a": "ALICE"}"#,
            text: "match\n  $.a: \"ALICE\" matched equals-ignore-case \"alice\""),
        Case(
            pattern: #"{"a": [{"equals-ignore-case": "alice"}]}"#, event: #"{"a": "alicia"}"#,
            text: "no match\n  $.a: has \"alicia\"; wanted equals-ignore-case \"alice\""),
        Case(
            pattern: #"{"a": [{"prefix": {"equals-ignore-case": "EventB"}}]}"#, event: #"{"a": "eventbridge"}"#,
            text: "match\n  $.a: \"eventbridge\" matched prefix equals-ignore-case \"EventB\""),
        Case(
            pattern: #"{"a": [{"suffix": {"equals-ignore-case": ".png"}}]}"#, event: #"{"a": "a.jpg"}"#,
            text: "no match\n  $.a: has \"a.jpg\"; wanted suffix equals-ignore-case \".png\""),
        Case(
            pattern: #"{"a": [{"wildcard": "dir/*.png"}]}"#, event: #"{"a": "dir/x/y.png"}"#,
            text: "match\n  $.a: \"dir/x/y.png\" matched wildcard \"dir/*.png\""),
        Case(
            pattern: #"{"a": [{"wildcard": "dir/*.png"}]}"#, event: #"{"a": "dir/y.gif"}"#,
            text: "no match\n  $.a: has \"dir/y.gif\"; wanted wildcard \"dir/*.png\""),
        Case(
            pattern: #"{"a": [{"anything-but": ["stopped", "overloaded"]}]}"#, event: #"{"a": "running"}"#,
            text: "match\n  $.a: \"running\" matched anything-but [\"stopped\", \"overloaded\"]"),
        Case(
            pattern: #"{"a": [{"anything-but": "stopped"}]}"#, event: #"{"a": "stopped"}"#,
            text: "no match\n  $.a: has \"stopped\"; wanted anything-but \"stopped\""),
        Case(pattern: #"{"a": [{"anything-but": 5}]}"#, event: #"{"a": 5.0}"#, text: "no match\n  $.a: has 5.0; wanted anything-but 5"),
        Case(pattern: #"{"a": [{"anything-but": [1, 2]}]}"#, event: #"{"a": "1"}"#, text: "match\n  $.a: \"1\" matched anything-but [1, 2]"),
        Case(pattern: #"{"a": [{"anything-but": "x"}]}"#, event: #"{}"#, text: "no match\n  $.a: absent; wanted anything-but \"x\""),
        Case(
            pattern: #"{"a": [{"anything-but": {"prefix": "init"}}]}"#, event: #"{"a": "initial"}"#,
            text: "no match\n  $.a: has \"initial\"; wanted anything-but prefix \"init\""),
        Case(
            pattern: #"{"a": [{"anything-but": {"suffix": ["c", "z"]}}]}"#, event: #"{"a": "xyz"}"#,
            text: "no match\n  $.a: has \"xyz\"; wanted anything-but suffix [\"c\", \"z\"]"),
        Case(
            pattern: #"{"a": [{"anything-but": {"equals-ignore-case": ["Alice", "Bob"]}}]}"#, event: #"{"a": "carol"}"#,
            text: "match\n  $.a: \"carol\" matched anything-but equals-ignore-case [\"Alice\", \"Bob\"]"),
        Case(
            pattern: #"{"a": [{"anything-but": {"wildcard": "*.tmp"}}]}"#, event: #"{"a": "x.tmp"}"#,
            text: "no match\n  $.a: has \"x.tmp\"; wanted anything-but wildcard \"*.tmp\""),
        Case(
            pattern: #"{"a": [{"anything-but": {"regex": "[0-9]+"}}]}"#, event: #"{"a": "abc"}"#,
            text: "match\n  $.a: \"abc\" matched anything-but regex \"[0-9]+\""),
        Case(
            pattern: #"{"n": [{"numeric": [">", 0, "<=", 5]}]}"#, event: #"{"n": 5}"#,
            text: "match\n  $.n: 5 matched numeric [\">\", 0, \"<=\", 5]"),
        Case(
            pattern: #"{"n": [{"numeric": [">", 0, "<=", 5]}]}"#, event: #"{"n": 7}"#,
            text: "no match\n  $.n: has 7; wanted numeric [\">\", 0, \"<=\", 5]"),
        Case(pattern: #"{"n": [{"numeric": ["=", 1.5]}]}"#, event: #"{"n": 1.50}"#, text: "match\n  $.n: 1.50 matched numeric [\"=\", 1.5]"),
        Case(pattern: #"{"n": [{"numeric": [">=", -2]}]}"#, event: #"{"n": "3"}"#, text: "no match\n  $.n: has \"3\"; wanted numeric [\">=\", -2]"),
        Case(pattern: #"{"a": [{"exists": true}]}"#, event: #"{"a": null}"#, text: "match\n  $.a: null matched exists true"),
        Case(pattern: #"{"a": [{"exists": true}]}"#, event: #"{"a": {"b": 1}}"#, text: "no match\n  $.a: absent; wanted exists true"),
        Case(pattern: #"{"a": [{"exists": false}]}"#, event: #"{"a": []}"#, text: "match\n  $.a: absent matched exists false"),
        Case(pattern: #"{"a": [{"exists": false}]}"#, event: #"{"a": [1, "x"]}"#, text: "no match\n  $.a: has 1, \"x\"; wanted exists false"),
        Case(
            pattern: #"{"ip": [{"cidr": "10.0.0.0/24"}]}"#, event: #"{"ip": "10.0.0.7"}"#,
            text: "match\n  $.ip: \"10.0.0.7\" matched cidr \"10.0.0.0/24\""),
        Case(
            pattern: #"{"ip": [{"cidr": "10.0.0.0/24"}]}"#, event: #"{"ip": "10.0.1.7"}"#,
            text: "no match\n  $.ip: has \"10.0.1.7\"; wanted cidr \"10.0.0.0/24\""),
        Case(
            pattern: #"{"id": [{"regex": "ORD-[0-9]{6}"}]}"#, event: #"{"id": "ORD-123456"}"#,
            text: "match\n  $.id: \"ORD-123456\" matched regex \"ORD-[0-9]{6}\""),
        Case(
            pattern: #"{"id": [{"regex": "ORD-[0-9]{6}"}]}"#, event: #"{"id": "ORD-12"}"#,
            text: "no match\n  $.id: has \"ORD-12\"; wanted regex \"ORD-[0-9]{6}\""),
        Case(pattern: #"{"a": [{"exactly": "x"}]}"#, event: #"{"a": "x"}"#, text: "match\n  $.a: \"x\" matched \"x\""),
    ]

    @Test("every operator, matching and failing", arguments: operatorCases)
    func operators(_ c: Case) throws {
        #expect(try explain(c.pattern, c.event).description == c.text)
    }

    @Test("a match names each field's value and condition; the first failing field is reported")
    func fields() throws {
        let pattern = #"{"source": ["aws.ec2"], "detail": {"state": ["stopped", {"prefix": "term"}], "n": [{"numeric": [">", 1]}]}}"#
        #expect(
            try explain(pattern, #"{"source": "aws.ec2", "detail": {"state": ["running", "terminated"], "n": 2}}"#).description == """
                match
                  $.detail.n: 2 matched numeric [">", 1]
                  $.detail.state: "terminated" matched prefix "term"
                  $.source: "aws.ec2" matched "aws.ec2"
                """)
        let failing = try explain(pattern, #"{"source": "aws.s3", "detail": {"n": 0}}"#)
        #expect(
            failing.description == """
                no match
                  $.detail.n: has 0; wanted numeric [">", 1]
                """)
        #expect(failing.alternatives[0].failure == .noValueMatches(field: 0))
        #expect(failing.alternatives[0].fields.map(\.path) == ["$.detail.n", "$.detail.state", "$.source"])
        #expect(failing.alternatives[0].fields[1].values == [])
        #expect(failing.alternatives[0].fields[2].values == [PatternExplanation.Value(location: "$.source", json: "\"aws.s3\"")])
        #expect(
            failing.alternatives[0].fields[1].conditions == [
                PatternExplanation.Condition(kind: "exact", operand: "\"stopped\""),
                PatternExplanation.Condition(kind: "prefix", operand: "\"term\""),
            ])
    }

    @Test("dotted keys and awkward names in paths")
    func paths() throws {
        #expect(
            try explain(#"{"detail-type": ["x"], "a": {"b c": [1]}}"#, #"{"detail-type": "x", "a.b c": 2}"#).description
                == "no match\n  $.a[\"b c\"]: has 2; wanted 1")
    }

    @Test("array consistency: each field matches in some element, never all in the same one")
    func arrayConsistency() throws {
        let pattern = #"{"items": {"sku": ["A"], "qty": [{"numeric": [">", 5]}]}}"#
        let event = #"{"items": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 9}, {"sku": "A", "qty": 2}]}"#
        let e = try explain(pattern, event)
        #expect(!e.matched)
        #expect(e.alternatives[0].failure == .arrayConsistency(fields: [0, 1]))
        #expect(
            e.description == """
                no match
                  $.items.qty, $.items.sku: each holds, but never in the same array element
                    $.items.qty: 9 at $.items[1].qty matched numeric [">", 5]
                    $.items.sku: "A" at $.items[0].sku matched "A"
                    $.items.sku: "A" at $.items[2].sku matched "A"
                """)
        let matching = try explain(pattern, #"{"items": [{"sku": "A", "qty": 1}, {"sku": "A", "qty": 7}]}"#)
        #expect(matching.alternatives[0].fields.map { $0.match?.value?.location } == ["$.items[1].qty", "$.items[1].sku"])
        #expect(matching.alternatives[0].fields[0].match?.condition == PatternExplanation.Condition(kind: "numeric", operand: #"[">", 5]"#))
        #expect(
            matching.description == """
                match
                  $.items.qty: 7 matched numeric [">", 5]
                  $.items.sku: "A" matched "A"
                """)
    }

    @Test("$or: a match names its alternative; a non-match explains each")
    func or() throws {
        let pattern = #"{"source": ["shop"], "$or": [{"paid": [true]}, {"tier": ["vip"]}]}"#
        #expect(
            try explain(pattern, #"{"source": "shop", "paid": false, "tier": "vip"}"#).description == """
                match (alternative 2 of 2)
                  $.source: "shop" matched "shop"
                  $.tier: "vip" matched "vip"
                """)
        #expect(
            try explain(pattern, #"{"source": "shop", "paid": false}"#).description == """
                no match (none of 2 alternatives)
                  alternative 1:
                    $.paid: has false; wanted true
                  alternative 2:
                    $.tier: absent; wanted "vip"
                """)
    }

    @Test("the explanation of a parsed event and of its bytes agree; malformed bytes are an error")
    func forms() throws {
        let p = try EventPattern(#"{"a": [1]}"#)
        #expect(p.explain(["a": 1]) == (try p.explain(eventJSON: Array(#"{"a": 1}"#.utf8))))
        #expect(throws: JSONError.self) { try p.explain(eventJSON: "{\"a\": ") }
    }
}
