import Benchmark
import EventPatterns
import Foundation

// The citylots2 workload: every rule category of event-ruler's benchmark over the 213,068-event
// synthetic file, each checked against the reference engine's exact counts before it is timed.
// One iteration is one pass over all events: events/s = 213,068 / wall-clock time, and the
// malloc count per pass is what matching allocated (the result arrays of matching events).
let benchmarks: @Sendable () -> Void = {
    let data = CitylotsData.shared
    for category in data.categories {
        for scanning in [EventMatcher.Scanning.stopEarly, .validating] {
            let suffix = scanning == .stopEarly ? "" : " (validating)"
            Benchmark(
                "citylots2 \(category.name)\(suffix)",
                configuration: .init(
                    metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident],
                    maxDuration: .seconds(10), maxIterations: 5)
            ) { benchmark in
                let matcher = category.matcher(scanning)
                benchmark.startMeasurement()
                for event in data.events {
                    blackHole(try? matcher.matches(event: event))
                }
                benchmark.stopMeasurement()
            }
        }
    }
}
