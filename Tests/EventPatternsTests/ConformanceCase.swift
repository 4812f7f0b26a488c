import EventPatterns
import Foundation
import Testing

/// One conformance case: a pattern, an event, and what EventBridge does with them.
struct ConformanceCase: CustomTestStringConvertible, Sendable {
    var file: String
    var name: String
    var pattern: JSONValue
    var event: JSONValue
    var expect: String
    /// For invalid patterns: a fragment the error reason must contain.
    var error: String?

    var testDescription: String { "\(file): \(name)" }

    /// Checks the case against EventFlow; returns a failure message or nil.
    func run() -> String? {
        let parsed: EventPattern
        do {
            parsed = try EventPattern(json: pattern)
        } catch {
            if expect == "invalid" {
                if let fragment = self.error, !error.reason.contains(fragment) {
                    return "rejected with \"\(error.reason)\", expected a reason containing \"\(fragment)\""
                }
                return nil
            }
            return "pattern rejected: \(error)"
        }
        if expect == "invalid" { return "pattern accepted, expected it to be rejected" }
        let viaTree = parsed.matches(event: event)
        let matcher = EventMatcher()
        matcher.addRule("case", pattern: parsed)
        let viaBytes: Bool
        do {
            viaBytes = try matcher.matches(eventJSON: event.jsonText) == ["case"]
        } catch {
            return "event rejected: \(error)"
        }
        let expected = expect == "match"
        if viaTree != expected || viaBytes != expected {
            return "expected \(expect), got tree=\(viaTree) bytes=\(viaBytes)"
        }
        return nil
    }

    static func load(_ url: URL) throws -> [ConformanceCase] {
        let json = try JSONParser.parse(bytes: Array(try Data(contentsOf: url)))
        guard case .array(let items) = json else { return [] }
        return items.map { item in
            ConformanceCase(
                file: url.lastPathComponent,
                name: item["name"]?.stringValue ?? "?",
                pattern: item["pattern"] ?? .null,
                event: item["event"] ?? .null,
                expect: item["expect"]?.stringValue ?? "?",
                error: item["error"]?.stringValue)
        }
    }
}
