// swift-tools-version: 6.1
import PackageDescription

// Its own package, so `swift test` at the root never builds the benchmark machinery.
let package = Package(
    name: "EventFlowBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(name: "EventFlow", path: ".."),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "Citylots",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EventPatterns", package: "EventFlow"),
            ],
            path: "Benchmarks/Citylots",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RuntimeThroughput",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EventFlow", package: "EventFlow"),
                .product(name: "Clocks", package: "swift-clocks"),
            ],
            path: "Benchmarks/RuntimeThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
