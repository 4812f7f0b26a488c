/// A JSON syntax error with the byte offset, line and column where it was found.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// Zero-based byte offset into the input.
    public var offset: Int
    /// One-based line and column (column counts bytes).
    public var line: Int
    public var column: Int

    public init(reason: String, offset: Int, line: Int, column: Int) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "\(reason) at line \(line), column \(column) (offset \(offset))" }

    static func at(_ reason: String, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> JSONError {
        var line = 1
        var lineStart = 0
        let end = min(offset, bytes.count)
        var i = 0
        while i < end {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return JSONError(reason: reason, offset: offset, line: line, column: offset - lineStart + 1)
    }
}
