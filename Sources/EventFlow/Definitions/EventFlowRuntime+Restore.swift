import Logging

extension EventFlowRuntime {
    /// Gets back the resources a storage holds the definitions of: queues (with their redrive
    /// policies), streams, buses, rules and their targets that are resources, functions' event
    /// invoke configs and event source mappings (with their UUIDs, so stream mappings resume from
    /// their checkpoints).
    ///
    /// Handlers are code. Register the functions first, then call `restore()`, then
    /// `resumeStoredWork()`. A rule, event invoke config or mapping that names a function (or a
    /// topic) not registered stays stored, with a log line, and is applied as soon as the
    /// function is registered (as scheduled work, just after the registration: `settle()` waits
    /// for it on a test clock; on a real clock an invocation that races it may run without its
    /// stored config, so register functions before `restore()`). Calling `restore()` again is
    /// harmless (what it restored is `alreadyPresent`) and applies what waits before it returns.
    ///
    /// Contract: restore creates every stored resource that is not registered yet; a resource
    /// the program created before (same name, or same mapping UUID) keeps the program's
    /// settings. After restore, look resources up (`queue(named:)`, `bus(named:)`,
    /// `stream(named:)`, `eventSourceMappings`), or get them with `Queue.create` and
    /// `Topic.create`, which return the registered one when its attributes match; creating a
    /// bus or stream again is "already exists", as on AWS. Closure targets are not stored: the
    /// report lists them, and the program puts them again with `putTargets`.
    @discardableResult
    public func restore() async throws(AWSError) -> RestoreReport {
        let stored: [StoredDefinition]
        do { stored = try storage.definitions.definitions() } catch {
            throw AWSError(.internalFailure, "could not read the stored definitions: \(error)")
        }
        definitionsRestored.store(true, ordering: .releasing)
        // Called again, it goes over every definition: what still waits is listed afresh.
        waitingDefinitions = []
        var report = RestoreReport()
        // Every queue first, so that redrive policies find their dead-letter queues.
        var created: Set<String> = []
        for d in stored where d.kind == .queue {
            if registry.lookup(.queue, name: d.key, as: Queue.self) != nil {
                report.alreadyPresent.append("queue \(d.key)")
                continue
            }
            do {
                let q = try decode(QueueDefinition.self, d)
                _ = try Queue(
                    name: q.name, runtime: self, maxMessageBytes: q.maxMessageBytes, visibilityTimeout: q.visibilityTimeout,
                    messageRetentionPeriod: q.messageRetentionPeriod, redrivePolicy: nil, persist: false)
                created.insert(d.key)
            } catch let error as DefinitionWait {
                wait(d, error.description, &report)
            } catch {
                wait(d, "could not be created: \(error)", &report)
            }
        }
        for d in stored {
            if d.kind == .queue && !created.contains(d.key) { continue }
            await apply(d, &report)
        }
        return report
    }

    /// Applies the waiting definitions that can be now (a function was registered).
    func applyWaitingDefinitions() async {
        let waiting = waitingDefinitions
        waitingDefinitions = []
        var report = RestoreReport()
        for d in waiting { await apply(d, &report, quiet: true) }
        for line in report.restored { logger.info("applied the stored definition of \(line)") }
    }

    private func wait(_ d: StoredDefinition, _ why: String, _ report: inout RestoreReport, quiet: Bool = false) {
        let line = "\(d.kind.label) \(d.key) \(why)"
        report.waiting.append(line)
        waitingDefinitions.append(d)
        if !quiet { logger.warning("stored \(line); it stays stored", metadata: ["definition": "\(d.kind.rawValue)/\(d.key)"]) }
    }

    private func apply(_ d: StoredDefinition, _ report: inout RestoreReport, quiet: Bool = false) async {
        let name = "\(d.kind.label) \(d.key)"
        do {
            if try await applyOne(d, &report) { report.restored.append(name) } else { report.alreadyPresent.append(name) }
        } catch let error as DefinitionWait {
            wait(d, error.description, &report, quiet: quiet)
        } catch {
            wait(d, "could not be applied: \(error)", &report, quiet: quiet)
        }
    }

    /// Applies one definition; false when the program had created the resource already.
    private func applyOne(_ d: StoredDefinition, _ report: inout RestoreReport) async throws -> Bool {
        switch d.kind {
        case .queue:
            let q = try decode(QueueDefinition.self, d)
            guard let redrive = q.redrivePolicy else { return true }
            let queue: Queue = try resolve(DefinitionReference(kind: .queue, name: q.name))
            let dlq: Queue = try resolve(DefinitionReference(kind: .queue, name: redrive.deadLetterQueue))
            await queue.restoreRedrivePolicy(.init(deadLetterQueue: dlq, maxReceiveCount: redrive.maxReceiveCount))
            return true
        case .stream:
            let s = try decode(StreamDefinition.self, d)
            if registry.lookup(.stream, name: s.name, as: DataStream.self) != nil { return false }
            switch s.kind {
            case "kinesis":
                _ = try DataStream(kinesis: s.name, runtime: self, shardCount: s.shardCount, retentionPeriod: s.retentionPeriod, persist: false)
            case "dynamodb":
                _ = try DataStream(dynamoDBTable: s.name, runtime: self, shardCount: s.shardCount, label: s.label, persist: false)
            default:
                throw DefinitionWait(description: "has the stream kind \"\(s.kind)\", which is neither kinesis nor dynamodb")
            }
            return true
        case .bus:
            let b = try decode(BusDefinition.self, d)
            if registry.lookup(.bus, name: b.name, as: EventBus.self) != nil { return false }
            _ = try EventBus(name: b.name, runtime: self, maxRequestBytes: b.maxRequestBytes, persist: false)
            return true
        case .rule:
            let r = try decode(RuleDefinition.self, d)
            let bus: EventBus = try resolve(DefinitionReference(kind: .bus, name: r.bus))
            if await bus.rule(r.name) != nil { return false }
            var targets: [Target] = []
            for t in r.targets { targets.append(try t.target(in: self)) }
            try await bus.putRule(
                r.name, pattern: try EventPattern(r.pattern), targets: targets, description: r.description, state: r.state, owner: nil,
                persist: false)
            for id in r.closureTargetIds {
                report.closureTargets.append("rule \(d.key): target \(id) is a closure (code, not stored); put it again")
            }
            return true
        case .eventInvokeConfig:
            let c = try decode(InvokeConfigDefinition.self, d)
            let function: any InvokeConfigRestorable = try resolve(DefinitionReference(kind: .function, name: c.function))
            return try await function.restoreEventInvokeConfig(try c.config(in: self), qualifier: c.qualifier)
        case .eventSourceMapping:
            let m = try decode(MappingDefinition.self, d)
            if eventSourceMappings.contains(where: { $0.uuid == m.uuid }) { return false }
            let source = try m.mappingSource(in: self)
            let function: any BatchInvocable = try resolve(DefinitionReference(kind: .function, name: m.function))
            _ = try await EventSourceMapping.create(
                source: source, function: function, configuration: try m.configuration(in: self), uuid: m.uuid, runtime: self,
                persist: false)
            return true
        }
    }

    /// The registered resource a stored target names, as a target.
    nonisolated func targetKind(_ reference: DefinitionReference) throws(DefinitionWait) -> Target.Kind {
        switch reference.kind {
        case .queue: return .queue(try resolve(reference))
        case .topic: return .topic(try resolve(reference))
        case .bus: return .bus(try resolve(reference))
        case .function: return .function(try resolve(reference, as: (any AsyncInvocable).self))
        case .stream: throw DefinitionWait(description: "has \(reference) as a target, which EventFlow rules do not support")
        }
    }
}

/// A function whose stored event invoke configs restore can apply.
protocol InvokeConfigRestorable: Sendable {
    /// Sets the config of `qualifier` (validated, not stored again); false when the program
    /// had set one already.
    func restoreEventInvokeConfig(_ config: EventInvokeConfig, qualifier: String) async throws(AWSError) -> Bool
}
