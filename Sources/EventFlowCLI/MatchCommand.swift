import ArgumentParser
import EventPatterns

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Print, for each event line, the rules it matches.",
        discussion: """
            RULES.json is an object {"ruleName": pattern, ...}; a value may also be an array of \
            patterns (any one matching suffices). Each input line is one JSON event; for each, one \
            output line: the JSON array of matching rule names, sorted by byte order. A line that is \
            not a JSON object prints {"error": "line N: <reason>"} and matching goes on.

            Exit status: 0 when every line was an event, 1 when some line failed, 2 when a rule is \
            invalid (nothing is matched then).

            Examples:
              eventflow match --rules Examples/Patterns/rules.json Examples/Patterns/events.jsonl   # exit 1: the last line is not JSON
              head -n 5 Examples/Patterns/events.jsonl | eventflow match --rules Examples/Patterns/rules.json -
            """
    )

    @OptionGroup var options: RulesOptions

    @Argument(help: "The events, one JSON object per line; '-' or nothing for standard input.")
    var events: String = "-"

    func run() throws {
        let matcher = try options.makeMatcher()
        let input = try Inputs.readAll(events)
        var out = Output()
        var failed = false
        for (i, line) in Inputs.lines(input).enumerated() {
            do {
                let names = try line.withUnsafeBufferPointer { (b) throws(JSONError) -> [String] in try matcher.matches(event: b) }
                out.line(jsonArray(names))
            } catch {
                failed = true
                let reason = "line \(i + 1): \(error.reason) at column \(error.column)"
                out.line("{\"error\": \(JSONValue.string(reason).jsonText)}")
            }
        }
        out.flush()
        if failed { throw ExitCode(1) }
    }
}
