import EventPatterns
import Testing

/// Shared state under concurrent use. These tests also run under ThreadSanitizer
/// (`Fuzz/tsan.sh`), which is where a missing lock would show.
@Suite("Concurrent use")
struct ConcurrencyTests {
    static let event = Array(#"{"kind":"order","n":5,"items":[{"sku":"A","qty":3}]}"#.utf8)

    @Test("matching in both scanning modes while patterns are added and removed one by one", arguments: [EventMatcher.Scanning.validating, .stopEarly])
    func addRemovePatterns(scanning: EventMatcher.Scanning) async throws {
        let m = EventMatcher(scanning: scanning)
        try m.addRule("stable", pattern: #"{"items":{"sku":["A"],"qty":[{"numeric":[">=",2]}]}}"#)
        let patterns = try (0..<8).map { i in try EventPattern(#"{"n":[{"numeric":["<",\#(i)]}]}"#) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<100 {
                    let p = patterns[round % patterns.count]
                    m.addRule("changing", pattern: p)
                    if round % 2 == 0 { m.removeRule("changing", pattern: p) }
                    _ = m.ruleNames
                    _ = m.patterns(of: "changing")
                    if round % 10 == 0 { m.compile() }
                }
            }
            for _ in 0..<3 {
                group.addTask {
                    for _ in 0..<200 {
                        let names = try m.matches(event: Self.event)
                        #expect(names.contains("stable"))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("one pattern matched from many tasks builds its automaton once, safely")
    func singlePattern() async throws {
        let pattern = try EventPattern(#"{"kind":[{"prefix":"ord"}],"items":{"qty":[{"numeric":[">",1]}]}}"#)
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<100).allSatisfy { _ in (try? pattern.matches(eventJSON: Self.event)) == true } }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
