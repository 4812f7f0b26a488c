import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("The runtime as a service: SIGTERM stops it gracefully, the next start goes on")
struct ServiceTests {
    /// Runs the service example until it says it started, lets it work for `seconds`, then sends
    /// SIGTERM; its exit status and output.
    static func runService(_ arguments: [String], seconds: Double) async throws -> (status: Int32, output: String) {
        try await onThread {
            let (process, pipe) = try start(Paths.service, arguments)
            // Signals before the service group handles them would just end the process.
            var data = Data()
            while !String(decoding: data, as: UTF8.self).contains("eventflow service started") {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                data += chunk
            }
            usleep(UInt32(seconds * 1_000_000))
            kill(process.processIdentifier, SIGTERM)
            data += pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    static func counts(_ path: String) throws -> [String] {
        try run(Paths.service, [path, "count"]).output.split(separator: "\n").map(String.init)
    }

    @Test("stopped mid-work: exit 0, handlers in flight finish, the rest stays stored and is done after a restart")
    func gracefulShutdown() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        let first = try await Self.runService([path, "feed", "600"], seconds: 0.3)
        #expect(first.status == 0)
        #expect(first.output.contains("eventflow service started"))
        #expect(first.output.contains("handlersStillRunning=0 [EventFlowService] eventflow service stopped"))
        let afterFirst = try Self.counts(path)
        let orders = Int(afterFirst[0].split(separator: " ")[1])!
        let receipts = Int(afterFirst[1].split(separator: " ")[1])!
        // A graceful stop leaves no batch half done: every order is either left or receipted once.
        #expect(orders + receipts == 600)
        #expect(orders > 0, "the first run should have been stopped mid-work")
        var runs = 0
        while try Self.counts(path).first != "orders 0" && runs < 10 {
            runs += 1
            let next = try await Self.runService([path], seconds: 2.0)
            #expect(next.status == 0)
            // The queues and the mapping come from the file, the mapping enabled (a graceful
            // stop pauses it without storing it disabled).
            #expect(next.output.contains("restored queue orders, queue receipts, event source mapping charge-orders\n"))
        }
        #expect(try Self.counts(path) == ["orders 0", "receipts 600"])
    }
}
