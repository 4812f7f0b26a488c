import EventPatterns
import Foundation
import Testing

/// Every entry point against nesting far beyond any limit: a clear error or a documented
/// result, never a stack overflow, whatever limit the caller asks for.
@Suite("Nesting")
struct NestingTests {
    /// `depth` arrays around `leaf`, built without recursion.
    static func deepArray(_ depth: Int, leaf: JSONValue = .number(JSONNumber(text: "1"))) -> JSONValue {
        var v = leaf
        for _ in 0..<depth { v = .array([v]) }
        return v
    }

    /// `depth` objects `{"a": …}` around `leaf`.
    static func deepObject(_ depth: Int, leaf: JSONValue = .number(JSONNumber(text: "1"))) -> JSONValue {
        var v = leaf
        for _ in 0..<depth { v = .object([JSONMember("a", v)]) }
        return v
    }

    /// Takes a deep value apart one level at a time: Swift releases nested enums recursively,
    /// so dropping a 50,000-level value in one piece would overflow the test's own stack.
    static func dismantle(_ value: consuming JSONValue) {
        var pending = [value]
        while let v = pending.popLast() {
            switch v {
            case .array(let items): pending += items
            case .object(let members): pending += members.map(\.value)
            default: break
            }
        }
    }

    static func deepText(_ arrays: Int, member: String = "a") -> [UInt8] {
        Array(#"{"\#(member)": "#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: arrays) + Array("1".utf8)
            + [UInt8](repeating: UInt8(ascii: "]"), count: arrays) + Array(#", "k": "v"}"#.utf8)
    }

    @Test("a caller-chosen limit is lowered to the supported maximum")
    func clamped() {
        #expect(EventMatcher(maxEventDepth: 1_000_000).maxEventDepth == JSONParser.maxSupportedDepth)
        #expect(EventMatcher(maxEventDepth: 0).maxEventDepth == 1)
        #expect(EventMatcher().maxEventDepth == 1000)
    }

    @Test(
        "event bytes nested 50,000 deep: an error in both scanning modes, wanted or skipped",
        arguments: [EventMatcher.Scanning.validating, .stopEarly], ["a", "b"])
    func bytes50k(scanning: EventMatcher.Scanning, member: String) throws {
        let m = EventMatcher(maxEventDepth: 1_000_000, scanning: scanning)
        try m.addRule("r", pattern: #"{"a": [1], "k": ["v"]}"#)
        let limit = JSONParser.maxSupportedDepth
        do {
            _ = try m.matches(event: Self.deepText(50_000, member: member))
            Issue.record("accepted")
        } catch {
            #expect(error.reason == "nesting deeper than \(limit) levels")
        }
        // Just inside the limit (the object is the first level): read, and matched.
        let inside = try m.matches(event: Self.deepText(limit - 1, member: member))
        #expect(inside == (member == "a" ? ["r"] : []))
    }

    /// Runs `body` on a thread with a 4 MiB stack (half the usual 8 MiB; this debug build
    /// needs about 2.5 KiB per level, 1,500 levels fitted and 2,000 did not) and returns its result.
    static func onSmallStack<T>(_ body: @escaping @Sendable () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: T?
        let thread = Thread {
            result = body()
            done.signal()
        }
        thread.stackSize = 4 * 1024 * 1024
        thread.start()
        done.wait()
        return result!
    }

    @Test(
        "the deepest events allowed, on a thread with a 4 MiB stack (debug build)",
        arguments: [EventMatcher.Scanning.validating, .stopEarly], ["a", "b"])
    func smallStack(scanning: EventMatcher.Scanning, member: String) {
        let names = Self.onSmallStack { () -> [String]? in
            let m = EventMatcher(maxEventDepth: .max, scanning: scanning)
            try? m.addRule("r", pattern: #"{"a": [1], "k": ["v"]}"#)
            return try? m.matches(event: Self.deepText(JSONParser.maxSupportedDepth - 1, member: member))
        }
        #expect(names == (member == "a" ? ["r"] : []))
    }

    @Test("the deepest text the parser allows, on a thread with a 4 MiB stack")
    func smallStackParser() {
        let ok = Self.onSmallStack { () -> Bool in
            guard let parsed = try? JSONParser.parse(bytes: Self.deepText(JSONParser.maxSupportedDepth - 1), maxDepth: .max) else {
                return false
            }
            let m = EventMatcher(maxEventDepth: .max)
            try? m.addRule("r", pattern: #"{"a": [1], "k": ["v"]}"#)
            let matched = m.matches(event: parsed) == ["r"]
            Self.dismantle(parsed)
            return matched
        }
        #expect(ok)
    }

    @Test("a JSONValue event nested 50,000 deep matches nothing where a rule reads it")
    func jsonValue50k() throws {
        let m = EventMatcher(maxEventDepth: 1_000_000)
        try m.addRule("r", pattern: #"{"a": [1]}"#)
        try m.addRule("k", pattern: #"{"k": ["v"]}"#)
        let pattern = try EventPattern(#"{"a": [1]}"#)
        // Arrays at a path a rule names are read, and too deep: the event matches nothing.
        var event = JSONValue.object([JSONMember("a", Self.deepArray(50_000)), JSONMember("k", "v")])
        #expect(m.matches(event: event) == [])
        #expect(!pattern.matches(event: event))
        Self.dismantle(consume event)
        // Objects below a leaf a rule names, and values where no rule looks, are not read at all.
        event = .object([JSONMember("a", Self.deepObject(50_000)), JSONMember("z", Self.deepArray(50_000)), JSONMember("k", "v")])
        #expect(m.matches(event: event) == ["k"])
        Self.dismantle(consume event)
        // Within the limit the same shape matches.
        #expect(m.matches(event: .object([JSONMember("a", Self.deepArray(500))])) == ["r"])
    }

    @Test("JSON text nested 50,000 deep: the parser stops at the supported depth")
    func parser50k() {
        let text = Self.deepText(50_000)
        do {
            let v = try JSONParser.parse(bytes: text, maxDepth: 1_000_000)
            Self.dismantle(v)
            Issue.record("accepted")
        } catch {
            #expect(error.reason == "nesting deeper than \(JSONParser.maxSupportedDepth) levels")
        }
    }

    @Test("patterns nested 50,000 deep are rejected before any recursion")
    func pattern50k() {
        var deep = Self.deepObject(50_000)
        #expect(throws: PatternError.self) { try EventPattern(json: deep) }
        Self.dismantle(consume deep)
        deep = .object([JSONMember("a", .array([Self.deepArray(50_000)]))])
        #expect(throws: PatternError.self) { try EventPattern(json: deep) }
        Self.dismantle(consume deep)
        let text = String(decoding: Self.deepText(50_000), as: UTF8.self)
        #expect(throws: PatternError.self) { try EventPattern(text) }
    }
}

