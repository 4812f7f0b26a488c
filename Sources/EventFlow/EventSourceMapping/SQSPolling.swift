import EventPatterns

/// Polling an SQS-like queue: receive, drop what no filter matches, gather a batch (waiting up
/// to the batching window), invoke, then delete what succeeded. Failed messages reappear after
/// the queue's visibility timeout; the queue's redrive policy moves them to its dead-letter queue.
extension EventSourceMapping {
    func pollQueue() async {
        guard case .queue(let queue) = source, state == .enabled, !sqsBusy else { return }
        sqsBusy = true
        beginWork()
        defer {
            sqsBusy = false
            endWork()
        }
        while state == .enabled {
            let room = settings.batchSize - heldMessages.count
            let received = room > 0 ? await queue.receive(max: room) : []
            for message in received {
                let record = BatchRecords.sqs(message, queue: queue, runtime: runtime)
                if let filter = settings.filter, !filter.keeps(RecordFilter.sqsView(record)) {
                    await queue.delete(receiptHandle: message.receiptHandle)
                    statistics.recordsFilteredOut += 1
                    continue
                }
                heldMessages.append((message, record))
            }
            if heldMessages.isEmpty {
                sqsWindowDeadline = nil
                break
            }
            let now = runtime.clock.now
            let deadline = sqsWindowDeadline ?? now + settings.window
            sqsWindowDeadline = deadline
            let full = heldMessages.count >= settings.batchSize || payloadBytes(heldMessages) >= Self.maximumPayloadBytes
            if !full && now < deadline {
                await wake(at: deadline, key: "window") { await $0.pollQueue() }
                break
            }
            let batch = heldMessages
            heldMessages = []
            sqsWindowDeadline = nil
            await invoke(batch, queue: queue)
        }
        if let next = await queue.nextVisibleAt {
            await wake(at: next, key: "visible") { await $0.pollQueue() }
        }
    }

    private func payloadBytes(_ held: [(message: Queue.Message, record: JSONValue)]) -> Int {
        held.reduce(0) { $0 + $1.message.body.utf8.count + 512 }
    }

    private func invoke(_ held: [(message: Queue.Message, record: JSONValue)], queue: Queue) async {
        let batch = held.map(\.message)
        let result = await function.invokeForMapping(BatchRecords.payload(held.map(\.record)))
        statistics.invocations += 1
        var succeeded = batch
        switch result {
        case .throttled:
            statistics.throttles += 1
            succeeded = []
        case .functionError(_, _, let message):
            runtime.logger.info(
                "\(function.name): batch of \(batch.count) from \(queue.name) failed: \(message)",
                metadata: ["function": "\(function.name)", "queue": "\(queue.name)"])
            succeeded = []
        case .response(let response, _):
            if settings.reportBatchItemFailures {
                switch BatchItemFailures.parse(response, known: Set(batch.map(\.messageId))) {
                case .none: break
                case .all: succeeded = []
                case .some(let failed):
                    let failedIds = Set(failed)
                    succeeded = batch.filter { !failedIds.contains($0.messageId) }
                }
            }
        }
        if !succeeded.isEmpty { await queue.delete(receiptHandles: succeeded.map(\.receiptHandle)) }
        statistics.recordsSucceeded += succeeded.count
    }
}
