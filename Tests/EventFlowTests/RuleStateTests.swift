import EventFlow
import EventFlowTesting
import Testing

@Suite("Rules: State and Description")
struct RuleStateTests {
    @Test("a DISABLED rule matches nothing until EnableRule; DisableRule stops it again")
    func disableAndEnable() async throws {
        let runtime = EventFlowRuntime.testing()
        let bus = try EventBus(name: "shop", runtime: runtime)
        let q = try Queue(name: "seen", runtime: runtime)
        try await bus.putRule(
            "r", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "q", .queue(q), input: .path("$.detail.n"))],
            description: "every shop event", state: .disabled)
        func put(_ n: Int) async throws {
            _ = try await bus.putEvents([PutEventsEntry(source: "shop", detailType: "t", detail: #"{"n":\#(n)}"#)])
            await runtime.settle()
        }
        try await put(1)
        try await bus.enableRule("r")
        try await put(2)
        try await bus.disableRule("r")
        try await put(3)
        #expect(await q.drain().map(\.body) == ["2"])
        #expect(await bus.rule("r")?.state == .disabled)
        #expect(await bus.rule("r")?.description == "every shop event")
        #expect(runtime.activity.entries(.matched).count == 1)
    }

    @Test("EnableRule of a rule that does not exist, and a Description over 512 characters, are AWS's errors")
    func errors() async throws {
        let bus = try EventBus(name: "shop", runtime: .testing())
        await #expect(throws: AWSError(.resourceNotFound, "Rule missing does not exist on EventBus shop.")) {
            try await bus.enableRule("missing")
        }
        await #expect(throws: AWSError(.resourceNotFound, "Rule missing does not exist on EventBus shop.")) {
            try await bus.disableRule("missing")
        }
        let long = String(repeating: "d", count: 513)
        await #expect(
            throws: AWSError(
                .validation,
                "1 validation error detected: Value '\(long)' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512")
        ) { try await bus.putRule("r", pattern: #"{"source":["a"]}"#, description: long) }
        try await bus.putRule("r", pattern: #"{"source":["a"]}"#, description: String(repeating: "d", count: 512))
        #expect(await bus.rule("r")?.description?.count == 512)
    }
}
