import Foundation
import Testing

@Suite("eventflow CLI")
struct CLITests {
    let cli = CLIRunner()

    func run(_ arguments: [String], stdin: String? = nil) throws -> CLIRunner.Run { try cli.run(arguments, stdin: stdin) }
    func temp(_ name: String, _ text: String) throws -> String { try cli.temp(name, text) }

    @Test("match prints one sorted JSON array per line, errors in place, exit 1")
    func match() throws {
        let rules = Paths.packageRoot.appendingPathComponent("Examples/Patterns/rules.json").path
        let events = Paths.packageRoot.appendingPathComponent("Examples/Patterns/events.jsonl").path
        let r = try run(["match", "--rules", rules, events])
        #expect(r.status == 1)
        #expect(
            r.stdout == """
                ["ec2-stopped"]
                ["big-orders","not-prod","order-ids","paid-or-vip"]
                ["internal-callers","png-uploads"]
                ["lambda-failures"]
                ["paid-or-vip"]
                {"error": "line 6: Event must be a JSON object at column 1"}

                """)
        #expect(r.stderr == "")
    }

    @Test("match reads standard input and sorts names by byte order; exit 0 when all lines are events")
    func matchStdin() throws {
        let rules = try temp("rules.json", #"{"b": {"x": [1]}, "B": {"x": [{"numeric": [">", 0]}]}, "a": [{"y": ["q"]}, {"x": [1.0]}], "é": {"x": [{"exists": true}]}}"#)
        let r = try run(["match", "--rules", rules, "-"], stdin: "{\"x\": 1}\n{\"y\": \"q\"}\n{\"x\": 1, \"y\": \"q\"}\n")
        #expect(r.status == 0)
        #expect(r.stdout == "[\"B\",\"a\",\"b\",\"é\"]\n[\"a\"]\n[\"B\",\"a\",\"b\",\"é\"]\n")
    }

    @Test("match reports a malformed line with its line number and keeps going")
    func matchBadLine() throws {
        let rules = try temp("rules.json", #"{"r": {"x": [1]}}"#)
        let r = try run(["match", "--rules", rules], stdin: "{\"x\": 1}\n{\"x\": \n\n{\"x\": 1}\n")
        #expect(r.status == 1)
        #expect(
            r.stdout == """
                ["r"]
                {"error": "line 2: unexpected end of input at column 7"}
                {"error": "line 3: unexpected end of input at column 1"}
                ["r"]

                """)
    }

    @Test("an invalid rule stops before matching: exit 2, rule, path and reason")
    func matchInvalidRule() throws {
        let rules = try temp("rules.json", #"{"ok": {"x": [1]}, "bad": {"detail": {"n": [{"numeric": [">", 5, "<", 1]}]}}}"#)
        let r = try run(["match", "--rules", rules], stdin: "{\"x\": 1}\n")
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "error: invalid rules in \(rules): rule \"bad\": Bottom must be less than top (at $.bad.detail.n[0].numeric)\n")
    }

    @Test("test-pattern answers like TestEventPattern")
    func testPattern() throws {
        let event = #"{"id":"1","account":"123456789012","source":"aws.ec2","time":"2026-01-01T00:00:00Z","region":"us-east-1","detail-type":"x","detail":{"n":7}}"#
        let eventFile = try temp("event.json", event)
        var r = try run(["test-pattern", "--pattern", #"{"detail":{"n":[{"numeric":[">",5]}]}}"#, "--event", eventFile])
        #expect(r.status == 0)
        #expect(r.stdout == "true\n")
        r = try run(["test-pattern", "--pattern", #"{"detail":{"n":[{"numeric":["<",5]}]}}"#, "--event", event])
        #expect(r.stdout == "false\n")
        r = try run(["test-pattern", "--pattern", #"{"detail":{"n":[]}}"#, "--event", event])
        #expect(r.status == 2)
        #expect(r.stderr == "InvalidEventPatternException: Event pattern is not valid. Reason: Empty arrays are not allowed (at $.detail.n)\n")
        r = try run(["test-pattern", "--pattern", #"{"source":["aws.ec2"]}"#, "--event", #"{"source":"aws.ec2","id":"1"}"#])
        #expect(r.status == 2)
        #expect(r.stderr == "ValidationException: Parameter Event is not valid. (missing account, time, region, detail-type)\n")
    }

    @Test("check prints one line per rule")
    func check() throws {
        let rules = try temp(
            "rules.json", #"{"good": {"a": ["x"]}, "two": [{"a": ["x"]}, {"b": [{"wildcard": "a**"}]}], "worse": {"a": [{"cidr": "1.2.3.4"}]}}"#)
        let r = try run(["check", "--rules", rules])
        #expect(r.status == 2)
        #expect(
            r.stdout == """
                good: valid
                two: Consecutive wildcard characters at pos 2 (at $.two[1].b[0].wildcard)
                worse: Malformed CIDR, one '/' required (at $.worse.a[0].cidr)

                """)
    }

    @Test("check calls a duplicate rule name invalid, as match does: same path, exit 2")
    func checkDuplicateName() throws {
        let rules = try temp("rules.json", #"{"a": {"x": [1]}, "b": {"x": [2]}, "a": {"y": [3]}}"#)
        let check = try run(["check", "--rules", rules])
        #expect(check.status == 2)
        #expect(
            check.stdout == """
                a: valid
                b: valid
                a: duplicate rule name (at $.a)

                """)
        let match = try run(["match", "--rules", rules], stdin: "{\"x\": 1}\n")
        #expect(match.status == 2)
        #expect(match.stderr == "error: invalid rules in \(rules): rule \"a\": duplicate rule name (at $.a)\n")
    }

    @Test("check: a rules file that is not an object is one error, exit 2")
    func checkNotObject() throws {
        let rules = try temp("rules.json", #"["a"]"#)
        let r = try run(["check", "--rules", rules])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "error: invalid rules in \(rules): rules file must be a JSON object of rule name to pattern (at $)\n")
    }

    @Test("test-pattern --explain prints why, for a match and a non-match")
    func testPatternExplain() throws {
        let event = Paths.packageRoot.appendingPathComponent("Examples/Patterns/event.json").path
        var r = try run(["test-pattern", "--explain", "--pattern", #"{"source":["aws.ec2"],"detail":{"state":[{"anything-but":"running"}]}}"#, "--event", event])
        #expect(r.status == 0)
        #expect(
            r.stdout == """
                match
                  $.detail.state: "stopped" matched anything-but "running"
                  $.source: "aws.ec2" matched "aws.ec2"

                """)
        r = try run(["test-pattern", "--explain", "--pattern", #"{"detail":{"state":[{"prefix":"run"}]}}"#, "--event", event])
        #expect(r.status == 0)
        #expect(r.stdout == "no match\n  $.detail.state: has \"stopped\"; wanted prefix \"run\"\n")
    }

    @Test("every command has --help with examples")
    func help() throws {
        for command in ["match", "test-pattern", "check", "test", "bench"] {
            let r = try run([command, "--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("eventflow \(command)"), "\(command)")
        }
        let top = try run(["--help"])
        #expect(top.stdout.contains("SUBCOMMANDS"))
    }

    @Test("bench prints throughput and per-rule counts")
    func bench() throws {
        let rules = try temp("rules.json", #"{"r1": {"x": [1]}, "r2": {"y": [{"prefix": "a"}]}}"#)
        let events = try temp("events.jsonl", "{\"x\":1}\n{\"y\":\"ab\"}\n{\"x\":1,\"y\":\"b\"}\n")
        let r = try run(["bench", "--rules", rules, events, "--passes", "3"])
        #expect(r.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(json?["passes"] as? Int == 3)
        #expect(json?["events"] as? Int == 3)
        #expect((json?["events_per_second"] as? Int ?? 0) > 0)
        #expect(json?["counts"] as? [String: Int] == ["r1": 2, "r2": 1])
    }
}
