import EventPatterns
import Foundation
import Testing

@Suite("Conformance")
struct ConformanceTests {
    static let awsCases: [ConformanceCase] =
        (try? ConformanceCase.load(Paths.shared.appendingPathComponent("data/aws-validated-patterns.json"))) ?? []

    static let fixtureCases: [ConformanceCase] = {
        let files = (try? FileManager.default.contentsOfDirectory(at: Paths.fixtures, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            .flatMap { (try? ConformanceCase.load($0)) ?? [] }
    }()

    @Test("all 156 cases recorded against EventBridge are present")
    func awsCasesLoaded() {
        #expect(Self.awsCases.count == 156)
    }

    @Test("cases recorded against EventBridge", arguments: awsCases)
    func aws(_ c: ConformanceCase) {
        let failure = c.run()
        #expect(failure == nil, "\(c.name): \(failure ?? "")")
    }

    @Test("the project's fixtures: at least 300, unique names")
    func fixturesLoaded() {
        #expect(Self.fixtureCases.count >= 300)
        #expect(Set(Self.fixtureCases.map(\.name)).count == Self.fixtureCases.count)
    }

    @Test("the project's fixtures", arguments: fixtureCases)
    func fixture(_ c: ConformanceCase) {
        let failure = c.run()
        #expect(failure == nil, "\(c.file) \(c.name): \(failure ?? "")")
    }
}
