import EventPatterns
import Foundation
import Testing

/// The README's `PatternFixture` example, on the example rules and fixtures.
@Suite("README: fixtures as @Test arguments")
struct ReadmeFixtureExampleTests {
    static let folder = Paths.packageRoot.appendingPathComponent("Examples/Patterns")
    static let rules = try! RuleFile(text: String(contentsOf: folder.appendingPathComponent("rules.json"), encoding: .utf8))

    @Test(arguments: try PatternFixture.load(folder.appendingPathComponent("fixtures")))
    func rule(_ fixture: PatternFixture) {
        let outcome = fixture.check(rules: Self.rules)
        #expect(outcome.passed, "\(fixture): \(outcome)")
    }

    @Test("the example fixtures are six cases in two files")
    func loaded() throws {
        let cases = try PatternFixture.load(Self.folder.appendingPathComponent("fixtures"))
        #expect(cases.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["ec2.json", "ec2.json", "ec2.json", "orders.json", "orders.json", "orders.json"])
    }
}
