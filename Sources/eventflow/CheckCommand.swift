import ArgumentParser
import EventPatterns

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every rule of a rules file: one line per rule.",
        discussion: """
            Prints "<name>: valid" or "<name>: <reason> (at <JSON path>)" for each rule, in file \
            order. Exit status 0 when all are valid, 2 otherwise.

            Example:
              eventflow check --rules rules.json
            """
    )

    @Option(name: .long, help: "The rules file: a JSON object of rule name to pattern.")
    var rules: String

    func run() throws {
        let text = String(decoding: try Inputs.readAll(rules), as: UTF8.self)
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            printError("error: \(rules) is not valid JSON: \(error)")
            throw ExitCode(2)
        }
        guard case .object(let members) = json else {
            printError("error: \(rules) must be a JSON object of rule name to pattern")
            throw ExitCode(2)
        }
        var out = Output()
        var invalid = false
        for member in members {
            do {
                _ = try RuleFile(json: .object([member]))
                out.line("\(member.key): valid")
            } catch {
                invalid = true
                out.line("\(member.key): \(error.reason) (at \(error.path))")
            }
        }
        out.flush()
        if invalid { throw ExitCode(2) }
    }
}
