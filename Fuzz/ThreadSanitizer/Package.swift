// swift-tools-version: 6.1
import PackageDescription

// The matcher's concurrency tests under ThreadSanitizer (`Fuzz/tsan.sh`). A package of its own
// so that a TSan build compiles only EventPatterns and these tests, not the whole root package.
// The test files are symlinks to the ones in Tests/EventPatternsTests, which stay the only copy.
let package = Package(
    name: "EventFlowThreadSanitizer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "EventFlow", path: "../.."),
    ],
    targets: [
        .testTarget(
            name: "EventPatternsTSanTests",
            dependencies: [.product(name: "EventPatterns", package: "EventFlow")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
