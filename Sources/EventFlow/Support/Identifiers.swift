import Foundation
import Synchronization

/// Produces request ids, message ids and event ids. Random UUIDs by default; tests use
/// `.sequential` for exact expected JSON.
public final class IDGenerator: Sendable {
    private let next: @Sendable () -> String

    public init(_ next: @escaping @Sendable () -> String) { self.next = next }

    /// Random version-4 UUIDs in lower case, from the system's generator (`getrandom`; Foundation's
    /// `UUID()` opens and reads `/dev/urandom` for each one, three system calls per id).
    public static var random: IDGenerator { IDGenerator { RandomUUID.make() } }

    /// "00000000-0000-4000-8000-000000000001", "...0002", ...: valid UUID shapes, in order.
    public static func sequential() -> IDGenerator {
        let counter = Mutex(0)
        return IDGenerator {
            let n = counter.withLock { c -> Int in
                c += 1
                return c
            }
            let digits = String(n)
            return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        }
    }

    public func make() -> String { next() }
}

/// Timestamps as AWS prints them.
enum AWSTime {
    /// `2019-11-14T18:16:05.568Z` (records).
    static func milliseconds(_ date: Date) -> String { date.formatted(withMilliseconds) }

    /// `2019-02-26T19:42:21Z` (event envelopes).
    static func seconds(_ date: Date) -> String { date.formatted(wholeSeconds) }

    // Made once: looking up a time zone by name each time cost more than the formatting.
    private static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)
    private static let wholeSeconds = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
}
