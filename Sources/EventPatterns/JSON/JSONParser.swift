/// Parses JSON text into a `JSONValue` tree.
public enum JSONParser {
    /// The default nesting limit, as EventBridge documents for events (1000 levels).
    public static let defaultMaxDepth = 1000
    /// The deepest nesting any limit may allow (EventBridge's own event limit): parsing and
    /// matching bytes recurse once per level, so a caller-chosen limit above this is lowered to
    /// it and no input can overflow a thread's stack: about 0.4 KiB per level in a release build
    /// (byte paths crashed at about 20,000 levels on an 8 MiB stack), about 2.5 KiB in a debug
    /// build (1,500 levels fitted in 4 MiB, 2,000 did not).
    public static let maxSupportedDepth = 1000

    /// `limit` lowered to `maxSupportedDepth` (and raised to at least 1).
    static func supportedDepth(_ limit: Int) -> Int { max(1, min(limit, maxSupportedDepth)) }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    public static func parse(bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) -> JSONValue in try parse(buffer, maxDepth: maxDepth) }
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        var scanner = JSONScanner(buffer, maxDepth: maxDepth)
        if scanner.bytes.isEmpty { throw scanner.fail("empty input") }
        let value = try parseValue(&scanner, depth: 0)
        try scanner.expectEnd()
        return value
    }

    static func parseValue(_ s: inout JSONScanner, depth: Int) throws(JSONError) -> JSONValue {
        let b = try s.peek()
        switch b {
        case UInt8(ascii: "{"):
            guard depth < s.maxDepth else { throw s.fail("nesting deeper than \(s.maxDepth) levels") }
            s.pos += 1
            var members: [JSONMember] = []
            if try s.peek() == UInt8(ascii: "}") { s.pos += 1; return .object(members) }
            while true {
                guard try s.peek() == UInt8(ascii: "\"") else {
                    throw s.fail("expected a member name string but found \(s.describe(s.bytes[s.pos]))")
                }
                let key = try parseString(&s)
                try s.expect(UInt8(ascii: ":"), "':'")
                members.append(JSONMember(key, try parseValue(&s, depth: depth + 1)))
                let c = try s.peek()
                s.pos += 1
                if c == UInt8(ascii: "}") { return .object(members) }
                guard c == UInt8(ascii: ",") else { throw s.fail("expected ',' or '}' but found \(s.describe(c))", at: s.pos - 1) }
            }
        case UInt8(ascii: "["):
            guard depth < s.maxDepth else { throw s.fail("nesting deeper than \(s.maxDepth) levels") }
            s.pos += 1
            var elements: [JSONValue] = []
            if try s.peek() == UInt8(ascii: "]") { s.pos += 1; return .array(elements) }
            while true {
                elements.append(try parseValue(&s, depth: depth + 1))
                let c = try s.peek()
                s.pos += 1
                if c == UInt8(ascii: "]") { return .array(elements) }
                guard c == UInt8(ascii: ",") else { throw s.fail("expected ',' or ']' but found \(s.describe(c))", at: s.pos - 1) }
            }
        case UInt8(ascii: "\""): return .string(try parseString(&s))
        case UInt8(ascii: "t"): try s.literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try s.literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try s.literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let r = try s.number()
            return .number(JSONNumber(text: String(decoding: UnsafeBufferPointer(rebasing: s.bytes[r]), as: UTF8.self)))
        default:
            throw s.fail("unexpected \(s.describe(b))")
        }
    }

    static func parseString(_ s: inout JSONScanner) throws(JSONError) -> String {
        let (range, escaped) = try s.string()
        if !escaped { return String(decoding: UnsafeBufferPointer(rebasing: s.bytes[range]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        try s.decodeString(range, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
