import ArgumentParser
import EventPatterns

struct TestPatternCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-pattern",
        abstract: "Print true or false: does the pattern match the event? (like EventBridge's TestEventPattern)",
        discussion: """
            Each option takes a file path or inline JSON. As on EventBridge, the event must be a \
            JSON object with id, account, source, time, region and detail-type; otherwise the \
            command fails with "Parameter Event is not valid.".

            With --explain, prints why instead: "match" and, per field, the event value and the             condition it matched; or "no match" and the first field that failed: its JSON path,             the values the event has there (or "absent") and the conditions wanted.

            Exit status: 0 with the answer printed; 2 for an invalid pattern or event.

            Examples:
              eventflow test-pattern --pattern '{"detail":{"state":[{"anything-but":"running"}]}}' --event Examples/Patterns/event.json
              eventflow test-pattern --explain --pattern '{"detail":{"state":[{"prefix":"run"}]}}' --event Examples/Patterns/event.json
            """
    )

    @Option(name: .long, help: "The event pattern: a file path or inline JSON.")
    var pattern: String

    @Option(name: .long, help: "The event: a file path or inline JSON.")
    var event: String

    @Flag(name: .long, help: "Explain the answer: what matched which condition, or what failed.")
    var explain = false

    /// The fields TestEventPattern requires of an event.
    static let requiredFields = ["id", "account", "source", "time", "region", "detail-type"]

    func run() throws {
        let parsed: EventPattern
        do {
            parsed = try EventPattern(try Inputs.jsonArgument(pattern))
        } catch let error as PatternError {
            printError("InvalidEventPatternException: \(error)")
            throw ExitCode(2)
        }
        let eventJSON: JSONValue
        do {
            eventJSON = try JSONParser.parse(try Inputs.jsonArgument(event))
        } catch let error as JSONError {
            printError("ValidationException: Parameter Event is not valid. (\(error))")
            throw ExitCode(2)
        }
        let missing = Self.requiredFields.filter { eventJSON[$0] == nil }
        guard case .object = eventJSON, missing.isEmpty else {
            let detail = eventJSON.objectMembers == nil ? "the event is not a JSON object" : "missing \(missing.joined(separator: ", "))"
            printError("ValidationException: Parameter Event is not valid. (\(detail))")
            throw ExitCode(2)
        }
        if explain {
            print(parsed.explain(eventJSON).description)
        } else {
            print(parsed.matches(event: eventJSON) ? "true" : "false")
        }
    }
}
