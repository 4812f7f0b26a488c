import ArgumentParser
import EventPatterns

/// The options `match` and `bench` share: the rules file and how events are scanned.
struct RulesOptions: ParsableArguments {
    @Option(name: .long, help: "The rules file: a JSON object of rule name to pattern.")
    var rules: String

    @Flag(
        name: .long,
        help: "Stop reading an event once nothing later can match, skipping unread parts by structure only (faster; malformed JSON there goes unnoticed)."
    )
    var stopEarly = false

    /// Loads the rules; an invalid rule prints its error and exits with status 2.
    func makeMatcher() throws -> EventMatcher {
        do {
            let matcher = try Inputs.loadRules(rules).makeMatcher(scanning: stopEarly ? .stopEarly : .validating)
            matcher.compile()
            return matcher
        } catch let error as InvalidRules {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
    }
}
