import EventPatterns
import Foundation

/// Loads (generating on first use) the synthetic citylots2 file and the rule categories, and
/// checks every category's counts against the reference engine's before anything is timed.
final class CitylotsData: Sendable {
    struct Category: Sendable {
        let name: String
        let rules: RuleFile
        let expected: [String: Int]
        func matcher(_ scanning: EventMatcher.Scanning) -> EventMatcher {
            let m = rules.makeMatcher(scanning: scanning)
            m.compile()
            return m
        }
    }

    static let shared = CitylotsData()

    let events: [[UInt8]]
    let categories: [Category]

    private init() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let shared = root.deletingLastPathComponent().appendingPathComponent("shared/data")
        let cache = root.appendingPathComponent("Benchmarks/.cache")
        let file = cache.appendingPathComponent("citylots2-synth.json.gz")
        if !FileManager.default.fileExists(atPath: file.path) {
            try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
            CitylotsData.run("/usr/bin/env", ["python3", shared.appendingPathComponent("gen_citylots2_synth.py").path, file.path])
        }
        let text = CitylotsData.run("/usr/bin/env", ["gzip", "-dc", file.path])
        events = text.split(separator: UInt8(ascii: "\n")).map { Array($0) }

        let rulesJSON = try! JSONParser.parse(bytes: Array(try! Data(contentsOf: shared.appendingPathComponent("citylots2-rules.json"))))
        let countsJSON = try! JSONParser.parse(bytes: Array(try! Data(contentsOf: shared.appendingPathComponent("citylots2-synth-counts.json"))))
        var categories: [Category] = []
        for member in rulesJSON.objectMembers! {
            let rules = try! RuleFile(json: member.value["rules"]!)
            var expected: [String: Int] = [:]
            for c in countsJSON[member.key]!.objectMembers! { expected[c.key] = c.value.intValueOrZero }
            categories.append(Category(name: member.key, rules: rules, expected: expected))
        }
        self.categories = categories
        for category in categories { check(category) }
    }

    /// A fast wrong answer is a failure: stop before timing anything.
    private func check(_ category: Category) {
        for scanning in [EventMatcher.Scanning.stopEarly, .validating] {
            let matcher = category.matcher(scanning)
            var counts: [String: Int] = [:]
            for name in matcher.ruleNames { counts[name] = 0 }
            for event in events {
                for name in try! matcher.matches(event: event) { counts[name, default: 0] += 1 }
            }
            precondition(counts == category.expected, "citylots2 \(category.name): counts \(counts) differ from the reference \(category.expected)")
        }
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        try! p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        precondition(p.terminationStatus == 0, "\(tool) \(arguments) failed")
        return Array(data)
    }
}

extension JSONValue {
    var intValueOrZero: Int {
        if case .number(let n) = self { return Int(n.text) ?? 0 }
        return 0
    }
}
