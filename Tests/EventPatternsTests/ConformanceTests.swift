import EventPatterns
import Foundation
import Testing

/// The recorded EventBridge cases and the project's fixtures, through the public fixture loader
/// and checker (`PatternFixture`) that users' own tests use.
@Suite("Conformance")
struct ConformanceTests {
    static let awsCases: [PatternFixture] =
        (try? PatternFixture.load(Paths.shared.appendingPathComponent("data/aws-validated-patterns.json"))) ?? []

    static let fixtureCases: [PatternFixture] = (try? PatternFixture.load(Paths.fixtures)) ?? []

    @Test("all 156 cases recorded against EventBridge load, every one with its own pattern")
    func awsCasesLoaded() throws {
        let cases = try PatternFixture.load(Paths.shared.appendingPathComponent("data/aws-validated-patterns.json"))
        #expect(cases.count == 156)
        #expect(cases.allSatisfy { if case .pattern = $0.subject { true } else { false } })
        #expect(Set(cases.map(\.expect)) == Set(PatternFixture.Expectation.allCases))
    }

    @Test("cases recorded against EventBridge", arguments: awsCases)
    func aws(_ c: PatternFixture) {
        let outcome = c.check()
        #expect(outcome.passed, "\(c): \(outcome)")
    }

    @Test("the project's fixtures: every file in Fixtures/, at least 300 cases, unique names")
    func fixturesLoaded() throws {
        let cases = try PatternFixture.load(Paths.fixtures)
        let files = try FileManager.default.contentsOfDirectory(atPath: Paths.fixtures.path).filter { $0.hasSuffix(".json") }
        #expect(Set(cases.map { URL(fileURLWithPath: $0.file).lastPathComponent }) == Set(files))
        #expect(cases.count >= 300)
        #expect(Set(cases.map(\.name)).count == cases.count)
    }

    @Test("the project's fixtures", arguments: fixtureCases)
    func fixture(_ c: PatternFixture) {
        let outcome = c.check()
        #expect(outcome.passed, "\(c): \(outcome)")
    }
}
