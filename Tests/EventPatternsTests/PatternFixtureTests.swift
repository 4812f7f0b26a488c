import EventPatterns
import Foundation
import Testing

@Suite("PatternFixture: loading and checking")
struct PatternFixtureTests {
    let cli = CLIRunner()

    static let rules = try! RuleFile(text: #"{"stopped": {"detail": {"state": ["stopped"]}}, "either": [{"a": [1]}, {"b": [2]}]}"#)

    func fixture(_ json: String, file: String = "f.json") throws -> [PatternFixture] {
        try PatternFixture.parse(try JSONParser.parse(json), file: file)
    }

    @Test("a case with its own pattern, one naming a rule, an invalid one without event")
    func parses() throws {
        let cases = try fixture(
            #"[{"name": "p", "pattern": {"a": [1]}, "event": {"a": 1}, "expect": "match"},"#
                + #" {"name": "r", "rule": "stopped", "event": {}, "expect": "no-match"},"#
                + #" {"name": "i", "pattern": {"a": []}, "expect": "invalid", "error": "Empty arrays"}]"#)
        #expect(
            cases == [
                PatternFixture(file: "f.json", index: 0, name: "p", subject: .pattern(["a": [1]]), event: ["a": 1], expect: .match),
                PatternFixture(file: "f.json", index: 1, name: "r", subject: .rule("stopped"), event: [:], expect: .noMatch),
                PatternFixture(
                    file: "f.json", index: 2, name: "i", subject: .pattern(["a": []]), event: nil, expect: .invalid, error: "Empty arrays"),
            ])
        #expect(cases.map(\.description) == ["f.json: p", "f.json: r", "f.json: i"])
    }

    @Test(
        "a malformed case is named by file and index, with what is wrong",
        arguments: [
            (#"{"a": 1}"#, "f.json: a fixture file must be a JSON array of cases (found object)"),
            (#"[{"name": "ok", "pattern": {"a": [1]}, "event": {}, "expect": "match"}, 3]"#, "f.json: case 1: a case must be a JSON object (found number)"),
            (#"[{"pattern": {"a": [1]}, "event": {}, "expect": "match"}]"#, #"f.json: case 0: missing "name""#),
            (#"[{"name": 1, "pattern": {"a": [1]}, "event": {}, "expect": "match"}]"#, #"f.json: case 0: "name" must be a string (found number)"#),
            (#"[{"name": "x", "pattern": {"a": [1]}, "event": {}}]"#, #"f.json: case 0: missing "expect""#),
            (#"[{"name": "x", "pattern": {"a": [1]}, "event": {}, "expect": "matches"}]"#, #"f.json: case 0: "expect" must be "match", "no-match" or "invalid" (found "matches")"#),
            (#"[{"name": "x", "event": {}, "expect": "match"}]"#, #"f.json: case 0: missing "pattern" or "rule""#),
            (#"[{"name": "x", "rule": "r", "pattern": {}, "event": {}, "expect": "match"}]"#, #"f.json: case 0: has both "pattern" and "rule"; give one"#),
            (#"[{"name": "x", "rule": 5, "event": {}, "expect": "match"}]"#, #"f.json: case 0: "rule" must be a string (found number)"#),
            (#"[{"name": "x", "pattern": {"a": [1]}, "expect": "no-match"}]"#, #"f.json: case 0: missing "event""#),
        ])
    func malformed(json: String, message: String) throws {
        let error = #expect(throws: PatternFixture.LoadError.self) { try fixture(json) }
        #expect(error?.description == message)
    }

    @Test(
        "check: pass, or the reason it fails",
        arguments: [
            (#"{"name": "n", "pattern": {"a": [1]}, "event": {"a": 1.0}, "expect": "match"}"#, nil),
            (#"{"name": "n", "pattern": {"a": [1]}, "event": {"a": 2}, "expect": "match"}"#, "expected match, got no-match"),
            (#"{"name": "n", "pattern": {"a": [1]}, "event": {"a": 1}, "expect": "no-match"}"#, "expected no-match, got match"),
            (#"{"name": "n", "pattern": {"a": [1]}, "event": {}, "expect": "invalid"}"#, "expected invalid, got a valid pattern"),
            (#"{"name": "n", "pattern": {"a": []}, "expect": "invalid"}"#, nil),
            (#"{"name": "n", "pattern": {"a": []}, "expect": "invalid", "error": "Empty arrays"}"#, nil),
            (
                #"{"name": "n", "pattern": {"a": []}, "expect": "invalid", "error": "numeric"}"#,
                #"expected an error containing "numeric", got "Empty arrays are not allowed""#
            ),
            (
                #"{"name": "n", "pattern": {"a": [{"numeric": [">", 5, "<", 1]}]}, "event": {}, "expect": "match"}"#,
                "Event pattern is not valid. Reason: Bottom must be less than top (at $.a[0].numeric)"
            ),
            (#"{"name": "n", "rule": "stopped", "event": {"detail": {"state": "stopped"}}, "expect": "match"}"#, nil),
            (#"{"name": "n", "rule": "either", "event": {"b": 2}, "expect": "match"}"#, nil),
            (#"{"name": "n", "rule": "either", "event": {"b": 1}, "expect": "no-match"}"#, nil),
            (#"{"name": "n", "rule": "gone", "event": {}, "expect": "match"}"#, #"rule "gone" not in rules file"#),
            (#"{"name": "n", "rule": "stopped", "event": {}, "expect": "invalid"}"#, "expected invalid, got a valid rule"),
        ] as [(String, String?)])
    func check(json: String, failure: String?) throws {
        let c = try #require(try fixture("[" + json + "]").first)
        #expect(c.check(rules: Self.rules).failure == failure)
    }

    @Test("a case naming a rule needs a rules file")
    func ruleWithoutRules() throws {
        let c = try #require(try fixture(#"[{"name": "n", "rule": "stopped", "event": {}, "expect": "match"}]"#).first)
        #expect(c.check() == .fail(#"rule "stopped" needs a rules file"#))
    }

    @Test("load: a folder recursively (*.json only, sorted, hidden skipped), files named by the path reached")
    func loadFolder() throws {
        let one = #"[{"name": "one", "pattern": {"a": [1]}, "event": {"a": 1}, "expect": "match"}]"#
        let two = #"[{"name": "two", "pattern": {"a": [1]}, "event": {"a": 2}, "expect": "no-match"}]"#
        _ = try cli.temp("suite/b.json", one)
        _ = try cli.temp("suite/a/deep/c.json", two)
        _ = try cli.temp("suite/notes.txt", "not fixtures")
        _ = try cli.temp("suite/.hidden.json", "not even JSON")
        let root = cli.scratch.appendingPathComponent("suite")
        let cases = try PatternFixture.load(root)
        #expect(cases.map(\.description) == ["\(root.path)/a/deep/c.json: two", "\(root.path)/b.json: one"])
        #expect(cases.allSatisfy { $0.check().passed })
        let file = try PatternFixture.load(root.appendingPathComponent("b.json"))
        #expect(file.map(\.description) == ["\(root.path)/b.json: one"])
    }

    @Test("load: a missing path, a file that is not JSON, a malformed case in a folder")
    func loadErrors() throws {
        let missing = cli.scratch.appendingPathComponent("nothing.json")
        var error = #expect(throws: PatternFixture.LoadError.self) { try PatternFixture.load(missing) }
        #expect(error?.description == "\(missing.path): no such file or folder")
        let bad = try cli.temp("bad/x.json", "[{\"name\": ")
        error = #expect(throws: PatternFixture.LoadError.self) { try PatternFixture.load(URL(fileURLWithPath: bad)) }
        #expect(error?.description == "\(bad): not valid JSON: unexpected end of input at line 1, column 11 (offset 10)")
        let malformed = try cli.temp("folder/sub/y.json", #"[{"name": "x", "pattern": {"a": [1]}, "expect": "match"}]"#)
        error = #expect(throws: PatternFixture.LoadError.self) { try PatternFixture.load(cli.scratch.appendingPathComponent("folder")) }
        #expect(error == PatternFixture.LoadError(file: malformed, caseIndex: 0, reason: #"missing "event""#))
    }
}
