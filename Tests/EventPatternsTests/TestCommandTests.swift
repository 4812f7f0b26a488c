import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("eventflow test")
struct TestCommandTests {
    let cli = CLIRunner()

    static let rules = #"{"stopped": {"detail": {"state": ["stopped"]}}, "big": {"n": [{"numeric": [">", 100]}]}}"#

    /// A folder of two fixture files (one nested) with passing and failing cases.
    func suite() throws -> (rules: String, folder: String) {
        let rules = try cli.temp("rules.json", Self.rules)
        _ = try cli.temp(
            "cases/ec2.json",
            #"[{"name": "stopped", "rule": "stopped", "event": {"detail": {"state": "stopped"}}, "expect": "match"},"#
                + #" {"name": "running <&>", "rule": "stopped", "event": {"detail": {"state": "running"}}, "expect": "match"},"#
                + #" {"name": "no such rule", "rule": "gone", "event": {}, "expect": "match"}]"#)
        _ = try cli.temp(
            "cases/more/own.json",
            #"[{"name": "own pattern", "pattern": {"n": [5]}, "event": {"n": 5}, "expect": "no-match"},"#
                + #" {"name": "bad cidr", "pattern": {"ip": [{"cidr": "1.2.3.4"}]}, "expect": "invalid", "error": "Malformed CIDR"},"#
                + #" {"name": "wrong \"error\"", "pattern": {"ip": [{"cidr": "1.2.3.4"}]}, "expect": "invalid", "error": "mask"},"#
                + #" {"name": "big rule", "rule": "big", "event": {"n": 101}, "expect": "match"}]"#)
        return (rules, cli.scratch.appendingPathComponent("cases").path)
    }

    @Test("one line per case, PASS or FAIL with the reason, the summary; exit 1 on a failure")
    func mixed() throws {
        let (rules, folder) = try suite()
        let r = try cli.run(["test", "--rules", rules, folder])
        #expect(r.status == 1)
        #expect(
            r.stdout == """
                PASS \(folder)/ec2.json: stopped
                FAIL \(folder)/ec2.json: running <&>: expected match, got no-match
                FAIL \(folder)/ec2.json: no such rule: rule "gone" not in rules file
                FAIL \(folder)/more/own.json: own pattern: expected no-match, got match
                PASS \(folder)/more/own.json: bad cidr
                FAIL \(folder)/more/own.json: wrong "error": expected an error containing "mask", got "Malformed CIDR, one '/' required"
                PASS \(folder)/more/own.json: big rule
                3 passed, 4 failed

                """)
        #expect(r.stderr == "")
    }

    @Test("files named relative to where the command runs; exit 0 when all pass; --rules optional")
    func allPass() throws {
        _ = try cli.temp("here/a.json", #"[{"name": "x", "pattern": {"a": [{"prefix": "in"}]}, "event": {"a": "init"}, "expect": "match"}]"#)
        _ = try cli.temp("here/b.json", #"[{"name": "y", "pattern": {"a": [{"numeric": ["<", 0]}]}, "event": {"a": -1}, "expect": "match"}]"#)
        let r = try cli.run(["test", "b.json", "a.json"], directory: cli.scratch.appendingPathComponent("here"))
        #expect(r == CLIRunner.Run(status: 0, stdout: "PASS b.json: y\nPASS a.json: x\n2 passed, 0 failed\n", stderr: ""))
    }

    @Test("a case naming a rule without --rules fails with the reason")
    func ruleWithoutRules() throws {
        let file = try cli.temp("r.json", #"[{"name": "x", "rule": "stopped", "event": {}, "expect": "match"}]"#)
        let r = try cli.run(["test", file])
        #expect(r.status == 1)
        #expect(r.stdout == "FAIL \(file): x: rule \"stopped\" needs a rules file\n0 passed, 1 failed\n")
    }

    @Test("unusable input: exit 2, the file and why, nothing run")
    func unusable() throws {
        let good = try cli.temp("good.json", #"[{"name": "x", "pattern": {"a": [1]}, "event": {"a": 1}, "expect": "match"}]"#)
        let badRules = try cli.temp("bad-rules.json", #"{"r": {"a": [{"numeric": [">", 5, "<", 1]}]}}"#)
        var r = try cli.run(["test", "--rules", badRules, good])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "error: invalid rules in \(badRules): rule \"r\": Bottom must be less than top (at $.r.a[0].numeric)\n")

        let notJSON = try cli.temp("not.json", "[1,")
        r = try cli.run(["test", good, notJSON])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "error: \(notJSON): not valid JSON: unexpected end of input at line 1, column 4 (offset 3)\n")

        let malformed = try cli.temp("malformed.json", #"[{"name": "x", "pattern": {"a": [1]}, "event": {}}]"#)
        r = try cli.run(["test", malformed])
        #expect(r.status == 2)
        #expect(r.stderr == "error: \(malformed): case 0: missing \"expect\"\n")

        let missing = cli.scratch.appendingPathComponent("missing.json").path
        r = try cli.run(["test", missing])
        #expect(r.status == 2)
        #expect(r.stderr == "error: \(missing): no such file or folder\n")

        r = try cli.run(["test", "--rules", missing, good])
        #expect(r.status == 2)
        #expect(r.stderr == "error: no such file: \(missing)\n")
    }

    @Test("--junit writes a testsuite per file and a testcase per case, failures with escaped messages")
    func junit() throws {
        let (rules, folder) = try suite()
        let report = cli.scratch.appendingPathComponent("report.xml")
        let r = try cli.run(["test", "--rules", rules, folder, "--junit", report.path])
        #expect(r.status == 1)
        let xml = try String(contentsOf: report, encoding: .utf8)
        #expect(
            xml == """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuites tests="7" failures="4">
                  <testsuite name="\(folder)/ec2.json" tests="3" failures="2">
                    <testcase classname="\(folder)/ec2.json" name="stopped"/>
                    <testcase classname="\(folder)/ec2.json" name="running &lt;&amp;&gt;">
                      <failure message="expected match, got no-match"/>
                    </testcase>
                    <testcase classname="\(folder)/ec2.json" name="no such rule">
                      <failure message="rule &quot;gone&quot; not in rules file"/>
                    </testcase>
                  </testsuite>
                  <testsuite name="\(folder)/more/own.json" tests="4" failures="2">
                    <testcase classname="\(folder)/more/own.json" name="own pattern">
                      <failure message="expected no-match, got match"/>
                    </testcase>
                    <testcase classname="\(folder)/more/own.json" name="bad cidr"/>
                    <testcase classname="\(folder)/more/own.json" name="wrong &quot;error&quot;">
                      <failure message="expected an error containing &quot;mask&quot;, got &quot;Malformed CIDR, one &apos;/&apos; required&quot;"/>
                    </testcase>
                    <testcase classname="\(folder)/more/own.json" name="big rule"/>
                  </testsuite>
                </testsuites>

                """)
        let parsed = try XMLDocument(data: Data(xml.utf8))
        #expect(try parsed.nodes(forXPath: "//failure").count == 4)
    }

    @Test("--junit escapes control characters and line breaks in names")
    func junitEscaping() throws {
        let file = try cli.temp("esc.json", #"[{"name": "a\nb\u0001'", "pattern": {"a": [1]}, "event": {"a": 2}, "expect": "match"}]"#)
        let report = cli.scratch.appendingPathComponent("esc.xml")
        _ = try cli.run(["test", file, "--junit", report.path])
        let xml = try String(contentsOf: report, encoding: .utf8)
        #expect(xml.contains(#"<testcase classname="\#(file)" name="a&#10;b\#u{FFFD}&apos;">"#))
        _ = try XMLDocument(data: Data(xml.utf8))
    }
}
