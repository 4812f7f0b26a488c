/// Stops the fuzzer on a broken invariant. `fatalError` traps, which libFuzzer reports as a
/// crash and saves the input as `crash-…`; the message says which invariant broke.
public func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant violated: \(message())") }
}

/// The input as it would appear in a report: printable ASCII as is, anything else escaped,
/// long inputs shortened.
public func describe(_ bytes: [UInt8], limit: Int = 600) -> String {
    var out = ""
    for b in bytes.prefix(limit) {
        switch b {
        case 0x20..<0x7F where b != 0x5C: out.append(Character(Unicode.Scalar(b)))
        default: out += "\\x" + (b < 0x10 ? "0" : "") + String(b, radix: 16)
        }
    }
    return bytes.count > limit ? out + "… (\(bytes.count) bytes)" : out
}
