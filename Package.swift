// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "EventFlow",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EventPatterns", targets: ["EventPatterns"]),
        .library(name: "EventFlow", targets: ["EventFlow"]),
        .library(name: "EventFlowTesting", targets: ["EventFlowTesting"]),
        .library(name: "EventFlowSQLite", targets: ["EventFlowSQLite"]),
        .library(name: "EventFlowService", targets: ["EventFlowService"]),
        .executable(name: "eventflow", targets: ["EventFlowCLI"]),
        .executable(name: "LoanProcessor", targets: ["LoanProcessor"]),
        .executable(name: "MappingWorkers", targets: ["MappingWorkers"]),
        .executable(name: "DurableWorker", targets: ["DurableWorker"]),
        .executable(name: "DurableService", targets: ["DurableService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // Skipping unread JSON with SSE2 where available (every x86-64 CPU), bytewise elsewhere.
        .target(name: "CStructuralSkip"),
        .target(
            name: "EventPatterns",
            dependencies: ["CPCRE2", "CStructuralSkip"]
        ),
        .target(
            name: "EventFlow",
            dependencies: [
                "EventPatterns",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "EventFlowTesting",
            dependencies: ["EventFlow", .product(name: "Clocks", package: "swift-clocks")]
        ),
        // SQLite storage in its own target, so users of the matcher or the in-memory runtime never build GRDB.
        .target(
            name: "EventFlowSQLite",
            dependencies: [
                "EventFlow", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The runtime as a swift-service-lifecycle Service.
        .target(
            name: "EventFlowService",
            dependencies: ["EventFlow", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        // The `eventflow` command (its folder is not named like the product: `Sources/eventflow`
        // and `Sources/EventFlow` would collide on case-insensitive file systems).
        .executableTarget(
            name: "EventFlowCLI",
            dependencies: [
                "EventPatterns",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "LoanProcessor",
            dependencies: ["EventFlow", "EventFlowTesting"],
            path: "Examples/LoanProcessor"
        ),
        .executableTarget(
            name: "MappingWorkers",
            dependencies: ["EventFlow", "EventFlowTesting"],
            path: "Examples/MappingWorkers"
        ),
        .executableTarget(
            name: "DurableWorker",
            dependencies: ["EventFlow", "EventFlowSQLite"],
            path: "Examples/DurableWorker"
        ),
        .executableTarget(
            name: "DurableService",
            dependencies: [
                "EventFlow", "EventFlowSQLite", "EventFlowService",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Examples/DurableService"
        ),
        .testTarget(
            name: "EventFlowSQLiteTests",
            dependencies: ["EventFlow", "EventFlowSQLite", "EventFlowTesting"]
        ),
        .testTarget(
            name: "EventPatternsTests",
            dependencies: ["EventPatterns", "CPCRE2"]
        ),
        .testTarget(
            name: "EventFlowTests",
            dependencies: [
                "EventFlow",
                "EventFlowTesting",
                "EventFlowSQLite",
                "LoanProcessor",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
