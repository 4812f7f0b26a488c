import Foundation

enum Paths {
    /// The package root, found from this source file.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let fixtures = packageRoot.appendingPathComponent("Fixtures")
}
