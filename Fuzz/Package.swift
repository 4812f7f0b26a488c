// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the pattern engine. Its own package, so the root package's build and
// tests never see the fuzzer flags; build and run it with `Fuzz/run.sh` (see Fuzz/README.md).
let package = Package(
    name: "EventFlowFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "EventFlow", path: ".."),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "EventPatterns", package: "EventFlow")]
        ),
        // Event bytes against a fixed rule set, both scanning modes, checked against the tests'
        // reference matcher (`ReferenceMatcher.swift` is a symlink into Tests/EventPatternsTests).
        .executableTarget(
            name: "FuzzEvents",
            dependencies: ["FuzzSupport", .product(name: "EventPatterns", package: "EventFlow")]
        ),
        // Pattern text through validation and compilation.
        .executableTarget(
            name: "FuzzPatterns",
            dependencies: ["FuzzSupport", .product(name: "EventPatterns", package: "EventFlow")]
        ),
        // The JSON scanner: the tree parser against the matcher's validating scan.
        .executableTarget(
            name: "FuzzJSON",
            dependencies: ["FuzzSupport", .product(name: "EventPatterns", package: "EventFlow")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
