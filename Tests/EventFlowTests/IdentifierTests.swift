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

    @Test("MD5 gives RFC 1321's digests, across 64-byte chunks and for non-ASCII text")
    func md5() {
        #expect(MD5.hex("".utf8) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex("abc".utf8) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5.hex("message digest".utf8) == "f96b697d7cb7938d525a2f31aaf161d0")
        #expect(MD5.hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8) == "57edf4a22be3c955ac49da2e2107b67a")
        #expect(MD5.hex("éééééééééééééééééééééééééééééééééééééééé".utf8) == "639258863c18c505cc2183a5e4b63394")
    }
}
