import Foundation
import Metrics

/// Rule target deliveries as EventBridge makes them: a retryable failure is retried with back-off
/// (`TargetBackoff`) until the target's `RetryPolicy` runs out; a delivery given up on goes to the
/// target's dead-letter queue, or is dropped (recorded, counted, logged). Every delivery to a
/// resource target is in the bus store until it ends, so retries survive a restart; one to a
/// queue ends in the same transaction that adds the message.
extension EventBus {
    /// Replaces a routed event in the store by its resource targets' deliveries. A store that
    /// fails leaves the event stored: routed again at the next start (at least once), logged.
    func storeRouted(_ id: String, _ deliveries: [PendingDelivery]) async {
        let now = runtime.clock.now
        let stored = deliveries.compactMap { $0.stored(dueAt: now, clock: runtime.clock) }
        for s in stored { deliveriesInProcess.insert(s.key) }
        // Still "in process" until the write returns: a resume reading the store meanwhile must
        // not route the event a second time.
        defer { inProcess.remove(id) }
        do {
            try await runtime.storage.busEvents.routed(bus: name, id: id, deliveries: stored)
        } catch {
            let message = "could not store the target deliveries of the routed event \(id) on event bus \(name): \(error)"
            runtime.reportStorageFailure(
                "\(message); it is routed again at the next start", resource: arn, id: id, metadata: ["bus": "\(name)", "id": "\(id)"])
        }
    }

    /// One attempt of a delivery; on failure, a retry is scheduled or the delivery is given up.
    func attempt(_ pending: PendingDelivery) async {
        var d = pending
        d.attempts += 1
        let failure: TargetFailure
        if let target = d.target {
            guard let refused = await handOver(d, to: target) else { return }
            failure = refused
        } else {
            failure = .noResource(d.reference?.description ?? d.targetArn)
        }
        runtime.reportDeliveryFailure(
            from: d.ruleArn, to: d.targetArn, id: d.key.eventId, rule: d.key.rule, reason: failure.message, decode: failure.decode)
        failedTargetDeliveries += 1
        guard failure.retryable else { return await giveUp(d, failure, condition: nil) }
        let age = runtime.clock.now - d.routedAt
        switch TargetBackoff.afterFailure(attempts: d.attempts, age: age, policy: d.policy, key: d.key.description) {
        case .giveUp(let condition): await giveUp(d, failure, condition: condition)
        case .retry(let wait): await retry(d, after: wait)
        }
    }

    /// Delivers, ending the delivery; nil once delivered. A queue of the same storage gets the
    /// message in the transaction that ends the delivery (no duplicate after a crash).
    private func handOver(_ d: PendingDelivery, to target: DeliveryTarget) async -> TargetFailure? {
        if case .queue(let queue) = target, d.durable {
            let message: OutboxMessage
            switch Outbox.message(Delivery.Body.json(d.input).text, attributes: [:], to: queue, runtime: runtime) {
            case .failure(let error): return TargetFailure(DeliveryFailure(reason: error.description, isSize: true, code: error.code))
            case .success(let m): message = m
            }
            do { try await runtime.storage.busEvents.finished(d.key, outbox: [message]) } catch {
                let reason = "could not send a message to queue \(queue.name): \(error)"
                return TargetFailure(DeliveryFailure(reason: AWSError(.internalFailure, reason).description, code: .internalFailure))
            }
            deliveriesInProcess.remove(d.key)
            await queue.arrivedFromOutbox(message.message.messageId)
            runtime.record(.delivered, resource: d.ruleArn, id: d.key.eventId, rule: d.key.rule, target: d.targetArn)
            return nil
        }
        if let refused = await runtime.handOver(Delivery(.json(d.input)), to: target) { return TargetFailure(refused) }
        runtime.record(.delivered, resource: d.ruleArn, id: d.key.eventId, rule: d.key.rule, target: d.targetArn)
        await end(d, outbox: [])
        return nil
    }

    /// Saves the retry state and schedules the next attempt on the runtime's clock.
    private func retry(_ d: PendingDelivery, after wait: Duration) async {
        let due = runtime.clock.now + wait
        if d.durable {
            do {
                try await runtime.storage.busEvents.retrying(d.key, attempts: d.attempts, dueAt: runtime.clock.date(at: due))
            } catch {
                runtime.reportStorageFailure(
                    "could not save the retry state of delivery \(d.key) on event bus \(name): \(error); a restart repeats its attempts",
                    resource: arn, id: d.key.eventId, metadata: ["bus": "\(name)", "rule": "\(d.key.rule)"])
            }
        }
        counter("RetryInvocationAttempts", rule: d.key.rule).increment()
        await runtime.schedule(after: wait) { await self.attempt(d) }
    }

    /// A delivery given up on (not retryable, or its retry policy ran out): the original event to
    /// the dead-letter queue with EventBridge's attributes, or a recorded drop.
    private func giveUp(_ d: PendingDelivery, _ failure: TargetFailure, condition: String?) async {
        counter("FailedInvocations", rule: d.key.rule).increment()
        let error = "\(failure.errorCode): \(failure.message)"
        let attempts = "\(d.attempts) attempt\(d.attempts == 1 ? "" : "s")"
        let why = condition.map { "\($0) exhausted after \(attempts); last error \(error)" } ?? "\(failure.errorCode) is not retried: \(failure.message)"
        guard let dlq = d.deadLetter else {
            let missing = d.missingDeadLetter.map { "its dead-letter queue \($0) does not exist" } ?? "no dead-letter queue"
            drop(d, reason: "\(why) (\(missing))")
            await end(d, outbox: [])
            return
        }
        var attributes: [String: Queue.Attribute] = [
            "RULE_ARN": .string(d.ruleArn), "TARGET_ARN": .string(d.targetArn), "ERROR_CODE": .string(failure.errorCode),
            "ERROR_MESSAGE": .string(failure.message), "RETRY_ATTEMPTS": .string(String(d.attempts - 1)),
        ]
        if let condition { attributes["EXHAUSTED_RETRY_CONDITION"] = .string(condition) }
        switch Outbox.message(d.event.jsonText, attributes: attributes, to: dlq, runtime: runtime) {
        case .failure(let error):
            counter("InvocationsFailedToBeSentToDlq", rule: d.key.rule).increment()
            drop(d, reason: "\(why) (could not be sent to the dead-letter queue \(dlq.arn): \(error))")
            await end(d, outbox: [])
        case .success(let message):
            guard await end(d, outbox: [message]) else { return }
            counter("InvocationsSentToDlq", rule: d.key.rule).increment()
            await dlq.arrivedFromOutbox(message.message.messageId)
            runtime.record(
                .delivered, resource: d.ruleArn, id: d.key.eventId, rule: d.key.rule, target: dlq.arn, reason: "dead-letter queue: \(why)")
        }
    }

    private func drop(_ d: PendingDelivery, reason: String) {
        runtime.record(.dropped, resource: d.ruleArn, id: d.key.eventId, rule: d.key.rule, target: d.targetArn, reason: reason)
        runtime.logger.warning(
            "rule target delivery dropped: \(reason)",
            metadata: ["bus": "\(name)", "rule": "\(d.key.rule)", "target": "\(d.key.targetId)", "id": "\(d.key.eventId)"])
    }

    /// Removes an ended delivery from the store, with `outbox`; false when the store refused (the
    /// delivery stays stored and ends again after the next start; logged).
    @discardableResult
    private func end(_ d: PendingDelivery, outbox: [OutboxMessage]) async -> Bool {
        deliveriesInProcess.remove(d.key)
        guard d.durable || !outbox.isEmpty else { return true }
        do {
            try await runtime.storage.busEvents.finished(d.key, outbox: outbox)
            return true
        } catch {
            runtime.reportStorageFailure(
                "could not end delivery \(d.key) on event bus \(name): \(error); it stays stored and ends again after the next start",
                resource: arn, id: d.key.eventId, metadata: ["bus": "\(name)", "rule": "\(d.key.rule)"])
            return false
        }
    }

    /// EventBridge's per-rule metrics (`RuleName` dimension).
    private func counter(_ label: String, rule: String) -> Counter {
        Counter(label: label, dimensions: [("RuleName", rule)], factory: runtime.metrics)
    }
}
