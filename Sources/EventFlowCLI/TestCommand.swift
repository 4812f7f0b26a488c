import ArgumentParser
import EventPatterns
import Foundation

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run pattern fixtures: one PASS or FAIL line per case, then a summary.",
        discussion: """
            FIXTURES are fixture files or folders (searched recursively for *.json), each a JSON \
            array of cases {"name", "pattern" or "rule", "event", "expect": "match" | "no-match" | \
            "invalid", optional "error": a fragment of the rejection reason}. A case with "rule" \
            tests that rule of RULES.json; --rules may be left out when every case has its own \
            pattern. Prints "PASS <file>: <name>" or "FAIL <file>: <name>: <reason>" per case and \
            "N passed, M failed".

            Exit status: 0 when every case passed, 1 when some failed, 2 for unusable input (a bad \
            rules file, an unreadable or malformed fixture file).

            Examples:
              eventflow test --rules Examples/Patterns/rules.json Examples/Patterns/fixtures
              eventflow test Fixtures/prefix.json Fixtures/suffix.json --junit .build/eventflow-junit.xml
            """
    )

    @Option(name: .long, help: "The rules file the cases' \"rule\" names refer to.")
    var rules: String?

    @Argument(help: "Fixture files or folders.")
    var fixtures: [String]

    @Option(name: .long, help: "Also write a JUnit XML report to this file.")
    var junit: String?

    func run() throws {
        let ruleFile: RuleFile?
        var cases: [PatternFixture] = []
        do {
            ruleFile = try rules.map(Inputs.loadRules)
            for path in fixtures { cases += try PatternFixture.load(URL(fileURLWithPath: path)) }
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        var out = Output()
        var results: [(PatternFixture, PatternFixture.Outcome)] = []
        for c in cases {
            let outcome = c.check(rules: ruleFile)
            results.append((c, outcome))
            out.line(outcome.failure.map { "FAIL \(c): \($0)" } ?? "PASS \(c)")
        }
        let failed = results.filter { !$0.1.passed }.count
        out.line("\(results.count - failed) passed, \(failed) failed")
        out.flush()
        if let junit {
            do {
                try Data(JUnitReport(results).xml.utf8).write(to: URL(fileURLWithPath: junit))
            } catch {
                printError("error: cannot write the JUnit report \(junit): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
