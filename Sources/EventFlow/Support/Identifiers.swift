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
            return sequentialID(n)
        }
    }

    /// "00000000-0000-4000-8000-" and `n` (positive) in at least 12 digits, written into the
    /// string's own storage (three temporary strings a time were a visible part of every id).
    static func sequentialID(_ n: Int) -> String {
        let prefix: StaticString = "00000000-0000-4000-8000-"
        var digitCount = 1
        var rest = n / 10
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        let width = max(12, digitCount)
        return String(unsafeUninitializedCapacity: prefix.utf8CodeUnitCount + width) { out in
            prefix.withUTF8Buffer { head in
                for (i, b) in head.enumerated() { out[i] = b }
            }
            var value = n
            var i = prefix.utf8CodeUnitCount + width
            while i > prefix.utf8CodeUnitCount {
                i -= 1
                out[i] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return prefix.utf8CodeUnitCount + width
        }
    }

    public func make() -> String { next() }
}

/// Timestamps as AWS prints them, in UTC, computed from the date's seconds and milliseconds
/// (Foundation's ISO 8601 formatter cost more than the rest of an event's envelope).
enum AWSTime {
    /// `2019-11-14T18:16:05.568Z` (records).
    static func milliseconds(_ date: Date) -> String { format(date, milliseconds: true) }

    /// `2019-02-26T19:42:21Z` (event envelopes).
    static func seconds(_ date: Date) -> String { format(date, milliseconds: false) }

    static func format(_ date: Date, milliseconds: Bool) -> String {
        // From the date's own value (seconds since 2001) and truncated, as Foundation prints it.
        let reference = date.timeIntervalSinceReferenceDate
        let whole = reference.rounded(.down)
        let ms = min(999, Int((reference - whole) * 1000))
        let seconds = Int64(whole) + 978_307_200
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civil(fromDays: days)
        // Written into the string's own storage (no byte array first).
        return String(unsafeUninitializedCapacity: milliseconds ? 24 : 20) { out in
            var at = 0
            func put(_ byte: UInt8) {
                out[at] = byte
                at += 1
            }
            func digits(_ n: Int, _ width: Int) {
                var divisor = 1
                for _ in 1..<width { divisor *= 10 }
                while divisor > 0 {
                    put(UInt8(ascii: "0") + UInt8(n / divisor % 10))
                    divisor /= 10
                }
            }
            digits(Int(year), 4)
            put(UInt8(ascii: "-"))
            digits(month, 2)
            put(UInt8(ascii: "-"))
            digits(day, 2)
            put(UInt8(ascii: "T"))
            digits(secondOfDay / 3600, 2)
            put(UInt8(ascii: ":"))
            digits(secondOfDay / 60 % 60, 2)
            put(UInt8(ascii: ":"))
            digits(secondOfDay % 60, 2)
            if milliseconds {
                put(UInt8(ascii: "."))
                digits(ms, 3)
            }
            put(UInt8(ascii: "Z"))
            return at
        }
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
    /// days-to-civil algorithm).
    private static func civil(fromDays z0: Int64) -> (Int64, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
