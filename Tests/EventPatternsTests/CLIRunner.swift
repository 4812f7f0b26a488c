import Foundation

/// Runs the `eventflow` executable built next to the test bundle. Each suite writes its files in
/// its own scratch folder, removed when the suite instance goes away.
final class CLIRunner: Sendable {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("eventflow-cli-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: scratch) }

    struct Run: Equatable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("eventflow")
    }

    /// Runs `eventflow` with `arguments` (from the package root unless `directory` is given).
    func run(_ arguments: [String], stdin: String? = nil, directory: URL = Paths.packageRoot) throws -> Run {
        try launch(Self.binary, arguments, stdin: stdin, directory: directory)
    }

    /// Runs a shell command line from the package root, with the built `eventflow` first on the PATH.
    func shell(_ line: String) throws -> Run {
        let path = Self.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", line], environment: ["PATH": path], directory: Paths.packageRoot)
    }

    private func launch(_ executable: URL, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: URL)
        throws -> Run
    {
        guard FileManager.default.fileExists(atPath: Self.binary.path) else {
            throw CLIMissing(path: Self.binary.path)
        }
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.currentDirectoryURL = directory
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    struct CLIMissing: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) not built; run `swift build --build-tests` first (scripts/test.sh does)" }
    }

    /// Writes `text` to `name` inside the scratch folder (creating folders) and returns its path.
    func temp(_ name: String, _ text: String) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
