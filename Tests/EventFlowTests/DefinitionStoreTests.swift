import EventFlow
import EventFlowTesting
import Logging
import Testing

@Suite("Resource definitions: the in-memory store, and what waits for a function")
struct DefinitionStoreTests {
    @Test("the in-memory store replaces by kind and key, removes, and lists by kind then key")
    func inMemoryStore() {
        let store = InMemoryDefinitionStore()
        store.save(StoredDefinition(kind: .rule, key: "shop/b", body: "1"))
        store.save(StoredDefinition(kind: .queue, key: "z", body: "2"))
        store.save(StoredDefinition(kind: .queue, key: "a", body: "3"))
        store.save(StoredDefinition(kind: .rule, key: "shop/a", body: "4"))
        store.save(StoredDefinition(kind: .queue, key: "z", body: "5"))
        store.remove(kind: .rule, key: "shop/b")
        store.remove(kind: .bus, key: "never-stored")
        #expect(store.definitions() == [
            StoredDefinition(kind: .queue, key: "a", body: "3"), StoredDefinition(kind: .queue, key: "z", body: "5"),
            StoredDefinition(kind: .rule, key: "shop/a", body: "4"),
        ])
    }

    @Test("creating, updating and deleting resources saves and removes their definitions; typed sources' rules are not stored")
    func savedOnChange() async throws {
        let storage = InMemoryStorage()
        let runtime = EventFlowRuntime.testing(storage: storage)
        let bus = try EventBus(name: "shop", runtime: runtime, maxRequestBytes: 2048)
        let dlq = try Queue(name: "dlq", runtime: runtime)
        let jobs = try Queue(name: "jobs", runtime: runtime)
        try await jobs.setRedrivePolicy(.init(deadLetterQueue: dlq, maxReceiveCount: 4))
        try await bus.putRule("keep", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "q", .queue(jobs))])
        try await bus.putRule("drop", pattern: #"{"source":["other"]}"#)
        try await bus.removeRule("drop")
        let f = try LambdaFunction<JSONValue, JSONValue>(name: "f", runtime: runtime) { p, _ in p }
        try await f.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0, onSuccess: .bus(bus)), qualifier: "$LATEST")
        // A typed source's rule is code, like the source: not stored.
        try await f.onSuccess(bus, "f-ok").map { $0.detail.requestPayload }.pipe(jobs)
        #expect(await bus.rule("f-ok")?.targets.map(\.id) == ["f-ok-target"])
        let mapping = try await EventSourceMapping.create(source: .queue(jobs), function: f, uuid: "m-1", runtime: runtime)
        await mapping.setEnabled(false)
        let keys = try storage.definitions.definitions().map { "\($0.kind.rawValue) \($0.key)" }
        #expect(keys == [
            "queue dlq", "queue jobs", "event-bus shop", "rule shop/keep", "event-invoke-config f:$LATEST",
            "event-source-mapping m-1",
        ])
        let bodies = try Dictionary(uniqueKeysWithValues: storage.definitions.definitions().map { ("\($0.kind.rawValue) \($0.key)", $0.body) })
        #expect(bodies["event-bus shop"] == #"{"maxRequestBytes":2048,"name":"shop"}"#)
        #expect(bodies["rule shop/keep"] == #"{"bus":"shop","closureTargetIds":[],"name":"keep","pattern":"{\"source\":[\"shop\"]}","state":"ENABLED","targets":[{"id":"q","input":{"event":{}},"resource":{"kind":"queue","name":"jobs"}}]}"#)
        #expect(bodies["event-invoke-config f:$LATEST"] == #"{"function":"f","maximumRetryAttempts":0,"onSuccess":{"resource":{"kind":"event-bus","name":"shop"},"responseOnly":false},"qualifier":"$LATEST"}"#)
        #expect(bodies["event-source-mapping m-1"] == #"{"enabled":false,"filters":[],"function":"f","reportBatchItemFailures":false,"source":{"kind":"queue","name":"jobs"},"uuid":"m-1"}"#)
        // The runtime's graceful stop pauses mappings without storing them disabled.
        await mapping.setEnabled(true)
        _ = await runtime.stop(waitingUpTo: .seconds(1))
        #expect(await mapping.state == .disabled)
        #expect(try storage.definitions.definitions().last?.body == #"{"enabled":true,"filters":[],"function":"f","reportBatchItemFailures":false,"source":{"kind":"queue","name":"jobs"},"uuid":"m-1"}"#)
        try await f.deleteEventInvokeConfig()
        await mapping.delete()
        #expect(try storage.definitions.definitions().map(\.key) == ["dlq", "jobs", "shop", "shop/keep"])
    }

    @Test("a mapping and a rule whose function is never registered stay stored, with a log line; registering it applies them")
    func waitsForFunction() async throws {
        let storage = try await Self.storedForWorker()
        let stored = try storage.definitions.definitions()

        // Another runtime on the same storage, without "worker".
        let logs = CapturedLogs()
        let second = EventFlowRuntime.testing(logger: logs.logger(level: .info), storage: storage)
        let report = try await second.restore()
        #expect(report.restored == ["queue jobs"])
        #expect(report.waiting == [
            "rule default/to-worker waits for function worker to be registered",
            "event source mapping jobs-worker waits for function worker to be registered",
        ])
        #expect(logs.all.filter { $0.level == .warning }.map(\.message) == [
            "stored rule default/to-worker waits for function worker to be registered; it stays stored",
            "stored event source mapping jobs-worker waits for function worker to be registered; it stays stored",
        ])
        #expect(await second.eventSourceMappings.isEmpty)
        #expect(await EventBus.default(second).rule("to-worker") == nil)
        try await second.queue(named: "jobs")!.send("waiting")
        await second.settle()
        #expect(try storage.definitions.definitions() == stored)
        #expect(await second.queue(named: "jobs")!.approximateNumberOfMessages == 1)

        // Registered later: the rule and the mapping apply, and the mapping drains the queue.
        let seen = Recorder()
        _ = try seen.function("worker", second) { $0["body"]?.stringValue }
        await second.settle()
        #expect(await second.eventSourceMappings.map(\.uuid) == ["jobs-worker"])
        #expect(await EventBus.default(second).rule("to-worker")?.targets.map(\.id) == ["w"])
        #expect(await seen.items == ["waiting"])
        // Restoring again changes nothing: everything is there.
        let again = try await second.restore()
        #expect(again.restored == [])
        #expect(again.waiting == [])
        #expect(again.alreadyPresent == ["queue jobs", "rule default/to-worker", "event source mapping jobs-worker"])
        #expect(logs.all.filter { $0.level == .info }.map(\.message).suffix(2) == [
            "applied the stored definition of rule default/to-worker",
            "applied the stored definition of event source mapping jobs-worker",
        ])
    }
}

extension DefinitionStoreTests {
    /// A storage holding the queue "jobs", a rule of the default bus with a target "worker",
    /// and the mapping "jobs-worker" from "jobs" to "worker", from a runtime since stopped.
    static func storedForWorker() async throws -> InMemoryStorage {
        let storage = InMemoryStorage()
        let first = EventFlowRuntime.testing(storage: storage)
        let jobs = try Queue(name: "jobs", runtime: first)
        let worker = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: first) { _, _ in .null }
        try await EventBus.default(first).putRule(
            "to-worker", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "w", .function(worker))])
        _ = try await EventSourceMapping.create(source: .queue(jobs), function: worker, uuid: "jobs-worker", runtime: first)
        _ = await first.stop(waitingUpTo: .zero)
        return storage
    }

    @Test("restore() again after a function is registered late applies what waited for it before it returns")
    func restoreAgain() async throws {
        let runtime = EventFlowRuntime.testing(storage: try await Self.storedForWorker())
        #expect(try await runtime.restore().waiting.count == 2)
        let seen = Recorder()
        _ = try seen.function("worker", runtime) { $0["body"]?.stringValue }
        let report = try await runtime.restore()
        #expect(report.restored == ["rule default/to-worker", "event source mapping jobs-worker"])
        #expect(report.alreadyPresent == ["queue jobs"])
        #expect(report.waiting == [])
        #expect(await runtime.eventSourceMappings.map(\.uuid) == ["jobs-worker"])
        try await runtime.queue(named: "jobs")!.send("now")
        await runtime.settle()
        #expect(await seen.items == ["now"])
    }
}

@Suite("Resource definitions: references by name")
struct DefinitionReferenceTests {
    @Test("a DynamoDB stream's mapping is restored by the table's name, and the stream keeps its ARN (its label is stored)")
    func dynamoDBByName() async throws {
        let storage = InMemoryStorage()
        let first = EventFlowRuntime.testing(storage: storage)
        let table = try DataStream(dynamoDBTable: "orders", runtime: first)
        let f = try LambdaFunction<JSONValue, JSONValue>(name: "f", runtime: first) { _, _ in .null }
        _ = try await EventSourceMapping.create(
            source: .stream(table), function: f, configuration: .init(batchSize: 7, startingPosition: .latest), uuid: "ddb",
            runtime: first)
        _ = await first.stop(waitingUpTo: .zero)

        let second = EventFlowRuntime.testing(start: EventFlowRuntime.testingStart.addingTimeInterval(3600), storage: storage)
        let seen = Recorder()
        _ = try seen.function("f", second) { $0["eventName"]?.stringValue }
        let report = try await second.restore()
        #expect(report.restored == ["stream orders", "event source mapping ddb"])
        let restored = try #require(await second.eventSourceMappings.first)
        #expect(table.arn == "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2025-11-24T10:00:00.000")
        #expect(restored.source.arn == table.arn)
        #expect(second.stream(arn: table.arn) === second.stream(named: "orders"))
        #expect(await restored.configuration.batchSize == 7)
        #expect(await restored.configuration.startingPosition == .latest)
        try await second.stream(named: "orders")!.putChange(eventName: "INSERT", keys: ["Id": ["N": "1"]])
        await second.settle()
        #expect(await seen.items == ["INSERT"])
    }
}

/// A definition store whose writes fail (as on a full disk).
struct RefusingDefinitions: DefinitionStore {
    func save(_ definition: StoredDefinition) throws { throw PatchedStorage.DiskFull() }
    func remove(kind: DefinitionKind, key: String) throws { throw PatchedStorage.DiskFull() }
    func definitions() -> [StoredDefinition] { [] }
}

@Suite("Resource definitions the store refuses")
struct DefinitionStoreFaultTests {
    @Test("a definition that cannot be stored fails its call with an error naming it, and the resource is not created")
    func refused() async throws {
        let runtime = EventFlowRuntime.testing(storage: PatchedStorage(definitions: RefusingDefinitions()))
        #expect(throws: AWSError(.internalFailure, "could not store the definition of queue jobs: disk full")) {
            _ = try Queue(name: "jobs", runtime: runtime)
        }
        #expect(runtime.queue(named: "jobs") == nil)
        #expect(throws: AWSError(.internalFailure, "could not store the definition of event bus shop: disk full")) {
            _ = try EventBus(name: "shop", runtime: runtime)
        }
        #expect(runtime.bus(named: "shop") == nil)
        let bus = EventBus.default(runtime)
        await #expect(throws: AWSError(.internalFailure, "could not store the definition of rule default/r: disk full")) {
            try await bus.putRule("r", pattern: #"{"source":["a"]}"#)
        }
        #expect(await bus.rule("r") == nil)
    }
}

/// Collects strings from handlers.
actor Recorder {
    private(set) var items: [String] = []
    func add(_ item: String) { items.append(item) }

    /// A mapping's function that records what `field` reads from each record of its batches.
    nonisolated func function(
        _ name: String, _ runtime: EventFlowRuntime, _ field: @escaping @Sendable (JSONValue) -> String?
    ) throws -> LambdaFunction<JSONValue, JSONValue> {
        try LambdaFunction<JSONValue, JSONValue>(name: name, runtime: runtime) { payload, _ in
            for r in payload["Records"]?.arrayValue ?? [] { await self.add(field(r) ?? "?") }
            return .null
        }
    }
}
