import ArgumentParser
import EventPatterns
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure matching throughput of a rules file over an events file.",
        discussion: """
            Loads every event into memory, makes one warm-up pass, then times N passes over all \
            events on one thread and prints a JSON object: events_per_second (median pass), passes, \
            and counts (rule name → events matched in one pass).

            Example:
              head -n 5 Examples/Patterns/events.jsonl | eventflow bench --rules Examples/Patterns/rules.json - --passes 3
            """
    )

    @OptionGroup var options: RulesOptions

    @Argument(help: "Events, one JSON object per line (.gz is decompressed).")
    var events: String

    @Option(name: .long, help: "How many timed passes.")
    var passes: Int = 5

    func run() throws {
        guard passes >= 1 else { throw ValidationError("--passes must be at least 1") }
        Self.trimHeap()
        let residentBefore = Self.residentBytes()
        let compileStart = ContinuousClock.now
        let matcher = try options.makeMatcher()
        let compileTime = ContinuousClock.now - compileStart
        Self.trimHeap()
        let matcherBytes = max(0, Self.residentBytes() - residentBefore)
        let lines = Inputs.lines(try Inputs.readAll(events)).filter { !$0.isEmpty }.map { Array($0) }
        var counts: [String: Int] = [:]
        for name in matcher.ruleNames { counts[name] = 0 }
        // Warm-up pass; it also produces the counts.
        for (i, line) in lines.enumerated() {
            do {
                for name in try matcher.matches(event: line) { counts[name, default: 0] += 1 }
            } catch {
                throw CLIError("event line \(i + 1): \(error)")
            }
        }
        var rates: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<passes {
            var sink = 0
            let elapsed = clock.measure {
                for line in lines { sink &+= (try? matcher.matches(event: line).count) ?? 0 }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            rates.append(Double(lines.count) / seconds)
            if sink < 0 { print(sink) }
        }
        rates.sort()
        let median = rates[rates.count / 2]
        let countsJSON = JSONValue.object(
            counts.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { JSONMember($0, .number(JSONNumber(counts[$0]!))) })
        let result = JSONValue.object([
            JSONMember("events_per_second", .number(JSONNumber(Int(median.rounded())))),
            JSONMember("passes", .number(JSONNumber(passes))),
            JSONMember("events", .number(JSONNumber(lines.count))),
            JSONMember("rules", .number(JSONNumber(matcher.ruleNames.count))),
            JSONMember(
                "compile_seconds",
                .number(JSONNumber(text: String(format: "%.4f", Double(compileTime.components.attoseconds) / 1e18 + Double(compileTime.components.seconds))))),
            // Resident memory the loaded and compiled rules hold (freed parsing memory trimmed).
            JSONMember("rules_resident_bytes", .number(JSONNumber(matcherBytes))),
            JSONMember("counts", countsJSON),
        ])
        print(result.jsonText)
    }

    /// Hands freed heap memory back to the system (glibc's `malloc_trim`, looked up at run time
    /// as Swift does not import it), so resident figures count what is still in use rather than
    /// what parsing left behind.
    static func trimHeap() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }

    /// Resident set size from /proc/self/statm (0 where there is no /proc).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * 4096
    }
}
