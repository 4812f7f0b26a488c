/// One case of a pattern fixture file: a pattern (or the name of a rule in a rules file), an
/// event, and what EventBridge does with them.
///
/// A fixture file is a JSON array of cases in the format of the project's `Fixtures/*.json`:
///
/// ```json
/// [{"name": "stopped", "rule": "ec2-stopped", "event": {...}, "expect": "match"},
///  {"name": "bad cidr", "pattern": {"ip": [{"cidr": "1.2.3.4"}]}, "event": {}, "expect": "invalid",
///   "error": "Malformed CIDR"}]
/// ```
///
/// Load them with `PatternFixture.load(_:)` and pass them to Swift Testing's
/// `@Test(arguments:)`; `check(rules:)` answers whether a case holds.
public struct PatternFixture: Sendable, Hashable, CustomStringConvertible {
    /// What the case expects.
    public enum Expectation: String, Sendable, Hashable, CaseIterable {
        case match
        case noMatch = "no-match"
        case invalid
    }

    /// What the case tests: its own pattern, or a rule of a rules file named by `"rule"`.
    public enum Subject: Sendable, Hashable {
        case pattern(JSONValue)
        case rule(String)
    }

    /// The fixture file the case comes from, as it was reached from the path given to `load`.
    public var file: String
    /// The case's position in its file, from 0.
    public var index: Int
    public var name: String
    public var subject: Subject
    /// The event (`null` when an `invalid` case has none).
    public var event: JSONValue
    public var expect: Expectation
    /// For `invalid`: a fragment the rejection reason must contain.
    public var error: String?

    public init(
        file: String, index: Int, name: String, subject: Subject, event: JSONValue, expect: Expectation, error: String? = nil
    ) {
        self.file = file
        self.index = index
        self.name = name
        self.subject = subject
        self.event = event
        self.expect = expect
        self.error = error
    }

    /// `<file>: <name>`, as the `eventflow test` command prints it (and Swift Testing shows it).
    public var description: String { "\(file): \(name)" }
}
