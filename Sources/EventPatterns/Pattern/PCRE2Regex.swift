import CPCRE2
import Synchronization

/// A PCRE2 pattern, JIT-compiled, that matches a whole value (anchored at both ends).
///
/// Matching is bounded: a match limit, a depth limit and a heap limit make catastrophic
/// backtracking end in "no match" (counted in `PCRE2Regex.limitExceededCount`) instead of a hang.
/// The compiled code is read-only after `init`, so one instance is safely shared across tasks.
public final class PCRE2Regex: Hashable, @unchecked Sendable {
    public let pattern: String
    public let caseless: Bool
    private let code: OpaquePointer

    /// Backtracking steps allowed per match before giving up.
    public static let matchLimit: UInt32 = 1_000_000
    public static let depthLimit: UInt32 = 10_000
    public static let heapLimitKiB: UInt32 = 20_000

    private static let limitHits = Atomic<Int>(0)
    /// How many matches were cut off by the limits since the process started.
    public static var limitExceededCount: Int { limitHits.load(ordering: .relaxed) }

    /// Shared match context holding the limits; PCRE2 only reads it during a match.
    private nonisolated(unsafe) static let matchContext: OpaquePointer? = {
        let ctx = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(ctx, matchLimit)
        pcre2_set_depth_limit_8(ctx, depthLimit)
        pcre2_set_heap_limit_8(ctx, heapLimitKiB)
        return ctx
    }()

    /// The error PCRE2 reports for a pattern it cannot compile.
    public struct CompileError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "Invalid regular expression at offset \(offset): \(message)" }
    }

    public init(_ pattern: String, caseless: Bool = false) throws(CompileError) {
        self.pattern = pattern
        self.caseless = caseless
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        var options = UInt32(PCRE2_UTF) | UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED)
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        let compiled = pattern.withCString { cstr in
            cstr.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count + 1) { ptr in
                pcre2_compile_8(ptr, pattern.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
            let message = n > 0 ? String(decoding: buffer[..<Int(n)], as: UTF8.self) : "error \(errorCode)"
            throw CompileError(message: message, offset: errorOffset)
        }
        // JIT is an optimisation: when it is unavailable the interpreter runs with the same limits.
        _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))
        self.code = compiled
    }

    deinit { pcre2_code_free_8(code) }

    /// Whether the whole of `subject` (valid UTF-8) matches.
    public func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else { return false }
        defer { pcre2_match_data_free_8(data) }
        let base = subject.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!
        let rc = pcre2_match_8(code, base, subject.count, 0, UInt32(PCRE2_NO_UTF_CHECK), data, PCRE2Regex.matchContext)
        if rc >= 0 { return true }
        if rc != PCRE2_ERROR_NOMATCH { PCRE2Regex.limitHits.add(1, ordering: .relaxed) }
        return false
    }

    public func matches(_ subject: String) -> Bool {
        var s = subject
        return s.withUTF8 { matches($0) }
    }

    public static func == (a: PCRE2Regex, b: PCRE2Regex) -> Bool { a.pattern == b.pattern && a.caseless == b.caseless }
    public func hash(into h: inout Hasher) {
        h.combine(pattern)
        h.combine(caseless)
    }
}

typealias RegexMatcher = PCRE2Regex
