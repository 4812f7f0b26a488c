import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("SQLite storage: stream faults")
struct StreamFaultTests {
    @Test("a full disk fails the put that could not be stored, with a clear error; what was stored stays", .enabled(if: getuid() == 0))
    func diskFull() async throws {
        try await SQLiteStorageTests.onSmallDisk { storage in
            let stream = try DataStream(kinesis: "clicks", runtime: EventFlowRuntime.testing(storage: storage), shardCount: 2)
            let text = { (n: Int) in String(repeating: "x", count: 1_000) + String(n) }
            let (put, failure) = await SQLiteStorageTests.writeUntilFailure { n throws(AWSError) in
                try await stream.putRecord(text(n), partitionKey: "k\(n)")
            }
            let error = try #require(failure)
            #expect(error.code == .internalFailure)
            #expect(error.message.hasPrefix("could not put a record to stream clicks: "))
            #expect(error.message.contains("full"))
            #expect(put > 10)
            let records = await stream.records
            #expect(records.count == put)
            #expect(Set(records.map { String(decoding: $0.data, as: UTF8.self) }) == Set((0..<put).map(text)))
        }
    }
}
