import Foundation
import Metrics

/// A bus's accepted events in the storage's `BusEventStore`: stored before PutEvents answers,
/// replaced by their targets' deliveries once routed (`EventBus+Delivery`), routed again after a
/// restart.
extension EventBus {
    /// Stores accepted events; the error to report for each of their entries when it cannot.
    func storeAccepted(_ events: [JSONValue]) async -> AWSError? {
        let stored = events.map { StoredBusEvent(bus: name, id: $0["id"]?.stringValue ?? "", event: $0) }
        for e in stored { inProcess.insert(e.id) }
        do {
            try await runtime.storage.busEvents.accept(stored, historyLimit: acceptedHistoryLimit)
            return nil
        } catch {
            for e in stored { inProcess.remove(e.id) }
            let message = "could not accept the event on event bus \(name): \(error)"
            runtime.reportStorageFailure(message, resource: arn, id: stored.first?.id ?? "", metadata: ["bus": "\(name)"])
            return AWSError(.internalFailure, message)
        }
    }

    /// Routes again the events an earlier process accepted and did not route, to the rules the
    /// bus has now, and resumes the target deliveries it had not ended, each at its due time
    /// (once per bus; `EventFlowRuntime.resumeStoredWork()`, or at creation after it). Closure
    /// targets are skipped (at most once).
    func resumeFromStore() async {
        guard !resumedFromStore else { return }
        resumedFromStore = true
        let stored: [StoredBusEvent]
        let deliveries: [StoredTargetDelivery]
        do {
            stored = try runtime.storage.busEvents.pending(bus: name)
            deliveries = try runtime.storage.busEvents.pendingDeliveries(bus: name)
        } catch {
            resumedFromStore = false
            runtime.reportStorageFailure(
                "could not read the stored events of event bus \(name): \(error)", resource: arn, metadata: ["bus": "\(name)"])
            return
        }
        await resumeDeliveries(deliveries.filter { !deliveriesInProcess.contains($0.key) })
        let earlier = stored.filter { !inProcess.contains($0.id) }
        guard !earlier.isEmpty else { return }
        runtime.logger.notice("event bus \(name): routing \(earlier.count) stored events again", metadata: ["bus": "\(name)"])
        Counter(label: "EventsRoutedAgain", dimensions: [("EventBusName", name)], factory: runtime.metrics).increment(by: earlier.count)
        for e in earlier {
            inProcess.insert(e.id)
            runtime.record(.accepted, resource: arn, id: e.id, reason: "stored before a restart; routed again")
            enqueue(e.event, id: e.id, redelivered: true)
        }
    }

    /// Schedules stored deliveries at their due time (at once when it has passed); one whose
    /// target's resource is gone is given up on when it comes (`NO_RESOURCE`).
    private func resumeDeliveries(_ deliveries: [StoredTargetDelivery]) async {
        guard !deliveries.isEmpty else { return }
        runtime.logger.notice("event bus \(name): resuming \(deliveries.count) stored target deliveries", metadata: ["bus": "\(name)"])
        Counter(label: "TargetDeliveriesResumed", dimensions: [("EventBusName", name)], factory: runtime.metrics)
            .increment(by: deliveries.count)
        for s in deliveries {
            deliveriesInProcess.insert(s.key)
            let d = PendingDelivery(resumed: s, rule: rules[s.key.rule], runtime: runtime)
            await runtime.schedule(after: runtime.clock.offset(of: s.dueAt) - runtime.clock.now) { await self.attempt(d) }
        }
    }

    /// A stored event that no enabled rule matches any more: recorded and logged, then removed.
    func reportUnroutable(_ id: String) {
        let reason = "stored event routed again after a restart matches no enabled rule of event bus \(name)"
        runtime.record(.dropped, resource: arn, id: id, reason: reason)
        runtime.logger.warning("\(reason)", metadata: ["bus": "\(name)", "id": "\(id)"])
    }

    /// A closure target is code and runs at most once: not again for a stored event.
    func skipClosure(_ id: String, rule: Rule, target: Target) {
        let reason = "closure target \(target.id) is not run again for an event stored before a restart (at most once)"
        runtime.record(.dropped, resource: rule.arn, id: id, rule: rule.name, target: "handler", reason: reason)
        runtime.logger.notice("\(reason)", metadata: ["bus": "\(name)", "rule": "\(rule.name)", "id": "\(id)"])
    }
}

extension EventFlowRuntime {
    /// Routes again every registered bus's stored events (the default bus is created when it
    /// has some).
    func resumeStoredBusEvents() async {
        if (try? storage.busEvents.busesWithPending().contains("default")) == true { _ = EventBus.default(self) }
        for bus in registry.all(.bus, as: EventBus.self) { await bus.resumeFromStore() }
    }
}
