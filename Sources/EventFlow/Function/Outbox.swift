import EventPatterns

/// Messages for queues that an invocation's end writes in its own transaction (see
/// `AsyncInvocationStore.complete`), checked against each queue's size limit first the way a
/// send is: a record too large loses its payloads, and what still does not fit is a counted,
/// logged delivery failure.
struct Outbox {
    private(set) var messages: [OutboxMessage] = []
    private var queues: [Queue] = []

    /// Adds `body` (or `fallback`, if `body` is too large) for `queue`; false when neither fits.
    mutating func add(
        _ body: String, fallback: @autoclosure () -> String? = nil, attributes: [String: Queue.Attribute] = [:], to queue: Queue,
        from source: String, id: String, runtime: EventFlowRuntime
    ) -> Bool {
        var text = body
        // The fallback is written only when needed (writing JSON text is most of a record's cost).
        if Queue.size(text, attributes) > queue.maxMessageBytes, let fallback = fallback() { text = fallback }
        switch Self.message(text, attributes: attributes, to: queue, runtime: runtime) {
        case .failure(let error):
            runtime.reportDeliveryFailure(from: source, to: queue.arn, id: id, reason: error.description)
            return false
        case .success(let message):
            messages.append(message)
            queues.append(queue)
            return true
        }
    }

    /// The message for `queue`, sent now, or the error a send would get when it is too large.
    static func message(
        _ text: String, attributes: [String: Queue.Attribute], to queue: Queue, runtime: EventFlowRuntime
    ) -> Result<OutboxMessage, AWSError> {
        let size = Queue.size(text, attributes)
        guard size <= queue.maxMessageBytes else { return .failure(.messageTooLong(bytes: size, limit: queue.maxMessageBytes)) }
        let now = runtime.clock.date(at: runtime.clock.now)
        return .success(
            OutboxMessage(
                queue: queue.name,
                message: StoredMessage(messageId: runtime.ids.make(), body: text, attributes: attributes, sentAt: now, visibleAt: now)))
    }

    /// After the transaction: each queue records and announces its new message.
    func announce(from source: String, id: String, runtime: EventFlowRuntime) async {
        for (queue, m) in zip(queues, messages) {
            await queue.arrivedFromOutbox(m.message.messageId)
            runtime.record(.delivered, resource: source, id: id, target: queue.arn)
        }
    }
}
