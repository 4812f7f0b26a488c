import Foundation
import Testing

/// Every example command that `--help` prints runs from the package root against the built
/// binary and ends with the status it documents (a trailing `# exit N`, otherwise 0).
@Suite("eventflow --help examples")
struct HelpExamplesTests {
    let cli = CLIRunner()

    struct Example: CustomTestStringConvertible, Sendable {
        var command: String
        var line: String
        var expectedStatus: Int32
        var testDescription: String { line }
    }

    static let commands = ["", "match", "test-pattern", "check", "test", "bench"]

    /// The lines after "Example:" or "Examples …:" up to the next blank line, unwrapped.
    static func examples(in help: String, command: String) -> [Example] {
        var out: [Example] = []
        var inExamples = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("Example:") || (line.hasPrefix("Examples") && line.hasSuffix(":")) {
                inExamples = true
            } else if inExamples && line.hasPrefix("  ") {
                let text = line.trimmingCharacters(in: .whitespaces)
                let status = text.firstMatch(of: /#\s*exit (\d+)/).map { Int32($0.1)! } ?? 0
                out.append(Example(command: command, line: text, expectedStatus: status))
            } else {
                inExamples = false
            }
        }
        return out
    }

    func helpExamples() throws -> [Example] {
        try Self.commands.flatMap { command in
            let help = try cli.shell("COLUMNS=1000 eventflow \(command) --help")
            #expect(help.status == 0, "\(command) --help")
            let found = Self.examples(in: help.stdout, command: command)
            #expect(!found.isEmpty, "\(command) --help prints no examples")
            return found
        }
    }

    @Test("the help of every command prints its examples")
    func listed() throws {
        let examples = try helpExamples()
        #expect(examples.map(\.command) == ["", "", "", "", "match", "match", "test-pattern", "test-pattern", "check", "test", "test", "bench"])
        #expect(examples.allSatisfy { $0.line.contains("eventflow ") })
        #expect(!examples.contains { $0.line.contains("Fixtures/examples") })
    }

    @Test("every example runs and ends with its documented status")
    func run() throws {
        for example in try helpExamples() {
            let r = try cli.shell(example.line)
            #expect(r.status == example.expectedStatus, "\(example.line)\n\(r.stderr)")
            #expect(!r.stderr.contains("no such file"), "\(example.line): \(r.stderr)")
            #expect(!r.stderr.contains("No such file"), "\(example.line): \(r.stderr)")
            #expect(!r.stdout.isEmpty, "\(example.line) printed nothing")
        }
    }
}
