import EventPatterns
import Foundation

/// Reading the CLI's inputs: files, standard input, inline JSON.
enum Inputs {
    /// Reads a whole file (or standard input for "-"), gunzipping `.gz` files.
    static func readAll(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no such file: \(path)") }
        if path.hasSuffix(".gz") { return try gunzip(path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        return Array(data)
    }

    static func gunzip(_ path: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CLIError("gzip could not decompress \(path)") }
        return Array(data)
    }

    /// A file path, or inline JSON when the argument starts with `{` or `[`.
    static func jsonArgument(_ argument: String) throws -> String {
        let trimmed = argument.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        if trimmed.first == "{" || trimmed.first == "[" { return argument }
        return String(decoding: try readAll(argument), as: UTF8.self)
    }

    static func loadRules(_ path: String) throws -> RuleFile {
        let bytes = try readAll(path)
        do {
            // From the bytes, so invalid UTF-8 is reported with its offset, not replaced.
            return try RuleFile(utf8: bytes)
        } catch {
            throw InvalidRules(message: "invalid rules in \(path): \(error)")
        }
    }

    /// Splits input into lines (without their "\n"; a final newline does not start a new line).
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var out = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if out.last?.isEmpty == true { out.removeLast() }
        return out.map { line in line.last == UInt8(ascii: "\r") ? line.dropLast() : line }
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// A rules file that did not validate: exit status 2.
struct InvalidRules: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Buffered standard output.
struct Output {
    private var buffer: [UInt8] = []

    mutating func line(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A JSON array of strings, compact.
func jsonArray(_ names: [String]) -> String {
    JSONValue.array(names.map { .string($0) }).jsonText
}
