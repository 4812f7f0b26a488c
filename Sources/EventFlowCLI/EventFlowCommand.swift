import ArgumentParser

@main
struct EventFlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventflow",
        abstract: "Match events against EventBridge event patterns.",
        discussion: """
            Patterns follow Amazon EventBridge exactly (every operator, plus PCRE2 "regex").

            Examples (a trailing "# exit N" is the status the example ends with):
              eventflow match --rules Examples/Patterns/rules.json Examples/Patterns/events.jsonl   # exit 1: the last line is not JSON
              eventflow test-pattern --pattern '{"source":["aws.ec2"]}' --event Examples/Patterns/event.json
              eventflow check --rules Examples/Patterns/rules.json
              eventflow test --rules Examples/Patterns/rules.json Examples/Patterns/fixtures
            """,
        subcommands: [MatchCommand.self, TestPatternCommand.self, CheckCommand.self, TestCommand.self, BenchCommand.self]
    )
}
