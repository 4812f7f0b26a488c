import Foundation
import Testing

@testable import EventFlow

@Suite("AWS timestamps")
struct AWSTimeTests {
    static let foundationMs = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)
    static let foundationSeconds = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    @Test("the same text as Foundation's ISO 8601 format, with and without milliseconds, for 20,000 instants")
    func sameAsFoundation() {
        var state: UInt64 = 99
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_763_978_400), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_399.999), Date(timeIntervalSince1970: 1_763_978_400.0005),
        ]
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1970 to 2100, at microsecond steps, and the runtime's clock: a start date plus a Duration.
            let micros = Double(state >> 22 % 4_102_444_800_000_000)
            dates.append(Date(timeIntervalSince1970: micros / 1_000_000))
            let offset = Duration.milliseconds(Int64(state >> 40)) + .nanoseconds(Int64(state >> 50))
            dates.append(Date(timeIntervalSince1970: 1_763_978_400).addingTimeInterval(Double(offset.components.seconds) + Double(offset.components.attoseconds) / 1e18))
        }
        var mismatches: [String] = []
        for d in dates {
            if AWSTime.milliseconds(d) != d.formatted(Self.foundationMs) { mismatches.append("\(d.timeIntervalSince1970): \(AWSTime.milliseconds(d)) vs \(d.formatted(Self.foundationMs))") }
            if AWSTime.seconds(d) != d.formatted(Self.foundationSeconds) { mismatches.append("\(d.timeIntervalSince1970): \(AWSTime.seconds(d)) vs \(d.formatted(Self.foundationSeconds))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count): \(mismatches.prefix(5))")
    }
}
