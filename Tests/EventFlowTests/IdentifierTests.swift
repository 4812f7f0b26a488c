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

    @Test("sequential ids count up in the last group, 12 digits wide and wider once they need it")
    func sequentialIds() {
        let ids = IDGenerator.sequential()
        #expect(ids.make() == "00000000-0000-4000-8000-000000000001")
        #expect(ids.make() == "00000000-0000-4000-8000-000000000002")
        for _ in 3..<10 { _ = ids.make() }
        #expect(ids.make() == "00000000-0000-4000-8000-000000000010")
        #expect(IDGenerator.sequentialID(123_456_789_012) == "00000000-0000-4000-8000-123456789012")
        #expect(IDGenerator.sequentialID(1_234_567_890_123) == "00000000-0000-4000-8000-1234567890123")
    }
}
