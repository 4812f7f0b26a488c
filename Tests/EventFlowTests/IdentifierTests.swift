import Foundation
import Testing

@testable import EventFlow

@Suite("Identifiers")
struct IdentifierTests {
    @Test("random ids are lower-case version-4 UUIDs, each different")
    func randomIds() {
        let ids = IDGenerator.random
        var seen: Set<String> = []
        for _ in 0..<1_000 {
            let id = ids.make()
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect(characters[14] == "4", "version 4: \(id)")
            #expect("89ab".contains(characters[19]), "variant 10: \(id)")
            seen.insert(id)
        }
        #expect(seen.count == 1_000)
    }
}
