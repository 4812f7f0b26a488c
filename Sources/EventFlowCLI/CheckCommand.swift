import ArgumentParser
import EventPatterns

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every rule of a rules file: one line per rule.",
        discussion: """
            Prints "<name>: valid" or "<name>: <reason> (at <JSON path>)" for each rule, in file \
            order. Exit status 0 when all are valid, 2 otherwise.

            The verdict is the one match and test give: a file check calls valid loads there.

            Example:
              eventflow check --rules Examples/Patterns/rules.json
            """
    )

    @Option(name: .long, help: "The rules file: a JSON object of rule name to pattern.")
    var rules: String

    func run() throws {
        let bytes = try Inputs.readAll(rules)
        let verdicts: [RuleFile.Verdict]
        do {
            verdicts = try RuleFile.verdicts(utf8: bytes)
        } catch {
            printError("error: invalid rules in \(rules): \(error)")
            throw ExitCode(2)
        }
        var out = Output()
        var invalid = false
        for verdict in verdicts {
            switch verdict.result {
            case .success: out.line("\(verdict.name): valid")
            case .failure(let error):
                invalid = true
                out.line("\(verdict.name): \(error.reason) (at \(error.path))")
            }
        }
        out.flush()
        if invalid { throw ExitCode(2) }
    }
}
