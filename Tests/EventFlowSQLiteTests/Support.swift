import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import Testing

/// A fresh folder for one test's database files, removed by `remove()`.
struct Scratch {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("eventflow-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// The stores every parameterised test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite

    var testDescription: String { rawValue }

    func storage(_ scratch: Scratch) throws -> any RuntimeStorage {
        switch self {
        case .memory: return InMemoryStorage()
        case .sqlite: return try SQLiteStorage(path: scratch.path("flow.db"))
        }
    }
}

/// Runs a command to the end; its exit status and standard output.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let (process, pipe) = try start(executable, arguments, errorsToo: true)
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The worker the crash tests run, built by `swift build --build-tests` beside the tests.
    static var worker: String { product("DurableWorker") }
    /// The service example the shutdown test runs.
    static var service: String { product("DurableService") }

    private static func product(_ name: String) -> String {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return packageRoot.appendingPathComponent(".build/debug/\(name)").path
    }
}

/// Runs blocking work (waiting for a child process) on a thread of its own, so the tests' tasks
/// keep the cooperative pool meanwhile.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// Starts `executable` with standard output (and standard error, with `errorsToo`) in a pipe.
func start(_ executable: String, _ arguments: [String], errorsToo: Bool = false) throws -> (process: Process, output: Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    if errorsToo { process.standardError = pipe }
    try process.run()
    return (process, pipe)
}
