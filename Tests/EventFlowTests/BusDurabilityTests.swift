import EventFlow
import EventFlowSQLite
import Foundation
import MetricsTestKit
import Testing

/// A bus event store whose writes fail (as on a full disk).
struct RefusingBusEvents: BusEventStore {
    func accept(_ events: [StoredBusEvent], historyLimit: Int) async throws { throw PatchedStorage.DiskFull() }
    func history(bus: String, limit: Int) -> [JSONValue] { [] }
    func routed(bus: String, id: String, deliveries: [StoredTargetDelivery]) async throws { throw PatchedStorage.DiskFull() }
    func retrying(_ key: TargetDeliveryKey, attempts: Int, dueAt: Date) async throws { throw PatchedStorage.DiskFull() }
    func finished(_ key: TargetDeliveryKey, outbox: [OutboxMessage]) async throws { throw PatchedStorage.DiskFull() }
    func pending(bus: String) -> [StoredBusEvent] { [] }
    func pendingDeliveries(bus: String) -> [StoredTargetDelivery] { [] }
    func busesWithPending() -> [String] { [] }
}

@Suite("Event bus: accepted events are stored until routed")
struct BusDurabilityTests {
    static let entry = PutEventsEntry(source: "shop", detailType: "order", detail: #"{"n":1}"#)

    /// The event ids in a queue's message bodies (each the whole event).
    static func ids(_ queue: Queue) async throws -> [String] {
        try await queue.messages.map { try JSONParser.parse($0.body)["id"]?.stringValue ?? "?" }
    }

    static func accepted(_ response: PutEventsResponse) -> [String] {
        response.entries.compactMap { if case .accepted(let id) = $0 { id } else { nil } }
    }

    @Test("PutEvents stores its accepted events before it answers; routing removes them", arguments: StoreKind.allCases)
    func storedUntilRouted(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let jobs = try Queue(name: "jobs", runtime: h.runtime)
        let bus = try EventBus(name: "orders", runtime: h.runtime)
        try await bus.putRule("all", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "q", .queue(jobs))])
        let response = try await bus.putEvents([Self.entry, PutEventsEntry(source: nil, detailType: "x", detail: "{}"), Self.entry])
        let ids = Self.accepted(response)
        #expect(ids == ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"])
        #expect(try h.runtime.storage.busEvents.pending(bus: "orders").map(\.id) == ids)
        #expect(try h.runtime.storage.busEvents.busesWithPending() == ["orders"])
        await h.settle()
        #expect(try await Self.ids(jobs) == ids)
        #expect(try h.runtime.storage.busEvents.pending(bus: "orders").isEmpty)
        #expect(try h.runtime.storage.busEvents.busesWithPending().isEmpty)
    }

    @Test("events stored and not routed are routed again after a restart; closure targets and lost rules are recorded, not run", arguments: StoreKind.allCases)
    func routedAfterRestart(store: StoreKind) async throws {
        let scratch = try ScratchFolder()
        let path = scratch.url.appendingPathComponent("flow.db").path
        let first: any RuntimeStorage = store == .memory ? InMemoryStorage() : try SQLiteStorage(path: path)
        let before = EventFlowRuntime.testing(storage: first)
        let closureRuns = Recorder()
        do {
            let jobs = try Queue(name: "jobs", runtime: before)
            let bus = try EventBus(name: "orders", runtime: before)
            try await bus.putRule(
                "all", pattern: #"{"source":["shop"]}"#,
                targets: [Target(id: "q", .queue(jobs)), Target(id: "c", .handler { _ in await closureRuns.add("before") })])
            let audit = try EventBus(name: "audit", runtime: before)
            try await audit.putRule("all", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "q", .queue(jobs))])
            _ = try await bus.putEvents([Self.entry, Self.entry])
            _ = try await audit.putEvents([Self.entry])
            // No settle: the process "ends" before routing.
        }
        #expect(try first.busEvents.busesWithPending() == ["audit", "orders"])
        let second: any RuntimeStorage
        if let sqlite = first as? SQLiteStorage {
            try sqlite.close()
            second = try SQLiteStorage(path: path)
        } else {
            second = first
        }
        let metrics = TestMetrics()
        let after = EventFlowRuntime.testing(metrics: metrics, storage: second)
        let jobs = try Queue(name: "jobs", runtime: after)
        let bus = try EventBus(name: "orders", runtime: after)
        try await bus.putRule(
            "all", pattern: #"{"source":["shop"]}"#,
            targets: [Target(id: "q", .queue(jobs)), Target(id: "c", .handler { _ in await closureRuns.add("after") })])
        _ = try EventBus(name: "audit", runtime: after)  // its rule is gone
        await after.settle()
        #expect(try await Self.ids(jobs).isEmpty, "routed before resumeStoredWork()")
        await after.resumeStoredWork()
        await after.settle()
        #expect(try await Self.ids(jobs) == ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"])
        #expect(await closureRuns.items.isEmpty)
        let dropped = after.activity.entries(.dropped).map { "\($0.id) \($0.reason ?? "")" }.sorted()
        #expect(
            dropped == [
                "00000000-0000-4000-8000-000000000001 closure target c is not run again for an event stored before a restart (at most once)",
                "00000000-0000-4000-8000-000000000002 closure target c is not run again for an event stored before a restart (at most once)",
                "00000000-0000-4000-8000-000000000003 stored event routed again after a restart matches no enabled rule of event bus audit",
            ])
        #expect(try second.busEvents.busesWithPending().isEmpty)
        #expect(try metrics.expectCounter("EventsRoutedAgain", [("EventBusName", "orders")]).totalValue == 2)
        #expect(try metrics.expectCounter("EventsRoutedAgain", [("EventBusName", "audit")]).totalValue == 1)
        // Once per bus: resuming again routes nothing twice.
        await after.resumeStoredWork()
        await after.settle()
        #expect(try await Self.ids(jobs).count == 2)
        #expect(try metrics.expectCounter("EventsRoutedAgain", [("EventBusName", "orders")]).totalValue == 2)
        try (second as? SQLiteStorage)?.close()
    }

    @Test("on SQLite the bus's accepted history is read back after a restart, only the latest of it kept; in memory it starts empty", arguments: StoreKind.allCases)
    func historyAfterRestart(store: StoreKind) async throws {
        let scratch = try ScratchFolder()
        let path = scratch.url.appendingPathComponent("flow.db").path
        let first: any RuntimeStorage = store == .memory ? InMemoryStorage() : try SQLiteStorage(path: path)
        let before = EventFlowRuntime.testing(storage: first)
        let accepted: [String]
        do {
            let bus = try EventBus(name: "orders", runtime: before)
            await bus.setAcceptedHistoryLimit(3)
            accepted = Self.accepted(try await bus.putEvents([Self.entry, Self.entry])) + Self.accepted(try await bus.putEvents([Self.entry, Self.entry, Self.entry]))
            await before.settle()
            #expect(await bus.accepted.map { $0["id"]?.stringValue ?? "?" } == Array(accepted.suffix(3)))
        }
        #expect(accepted.count == 5)
        let second: any RuntimeStorage
        if let sqlite = first as? SQLiteStorage {
            try sqlite.close()
            second = try SQLiteStorage(path: path)
        } else {
            second = InMemoryStorage()
        }
        let after = EventFlowRuntime.testing(storage: second)
        let bus = try EventBus(name: "orders", runtime: after)
        let history = await bus.accepted
        if store == .memory {
            #expect(history.isEmpty)
        } else {
            // The whole envelopes, as PutEvents accepted them (the latest 3 of 5).
            #expect(history.map { $0["id"]?.stringValue ?? "?" } == Array(accepted.suffix(3)))
            #expect(history.allSatisfy { $0["source"] == "shop" && $0["detail-type"] == "order" && $0["detail"] == ["n": 1] })
            #expect(try second.busEvents.history(bus: "orders", limit: 10).count == 3)
            #expect(try second.busEvents.history(bus: "orders", limit: 2).map { $0["id"]?.stringValue ?? "?" } == Array(accepted.suffix(2)))
        }
        try (second as? SQLiteStorage)?.close()
    }

    @Test("an event PutEvents cannot store fails its entry with InternalFailure and is not routed")
    func refused() async throws {
        let runtime = EventFlowRuntime.testing(storage: PatchedStorage(busEvents: RefusingBusEvents()))
        let jobs = try Queue(name: "jobs", runtime: runtime)
        let bus = try EventBus(name: "orders", runtime: runtime)
        try await bus.putRule("all", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "q", .queue(jobs))])
        let response = try await bus.putEvents([Self.entry, PutEventsEntry(source: "shop", detailType: nil, detail: "{}")])
        #expect(response.failedEntryCount == 2)
        #expect(
            response.entries == [
                .failed(errorCode: "InternalFailure", errorMessage: "could not accept the event on event bus orders: disk full"),
                .failed(errorCode: "InvalidArgument", errorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
            ])
        await runtime.settle()
        #expect(await jobs.messages.isEmpty)
        #expect(await bus.accepted.isEmpty)
        #expect(runtime.activity.entries(.storageFailed).map(\.reason) == ["could not accept the event on event bus orders: disk full"])
    }
}
