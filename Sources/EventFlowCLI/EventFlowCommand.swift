import ArgumentParser

@main
struct EventFlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventflow",
        abstract: "Match events against EventBridge event patterns.",
        discussion: """
            Patterns follow Amazon EventBridge exactly (every operator, plus PCRE2 "regex").

            Examples:
              eventflow match --rules Fixtures/examples/rules.json Fixtures/examples/events.jsonl
              eventflow test-pattern --pattern '{"source":["aws.ec2"]}' --event event.json
              eventflow check --rules rules.json
            """,
        subcommands: [MatchCommand.self, TestPatternCommand.self, CheckCommand.self, TestCommand.self, BenchCommand.self]
    )
}
