import EventPatterns
import Synchronization

extension LambdaFunction {
    /// Whether every concurrent execution allowed (reserved, or the account's 1000) is in use.
    var concurrencyExhausted: Bool { running >= (reservedConcurrency ?? 1000) }

    /// Takes a concurrent execution; false when none is left.
    func acquireExecution() -> Bool {
        guard !concurrencyExhausted else { return false }
        running += 1
        runtime.noteProgress()
        return true
    }

    /// Gives an execution back and lets queued asynchronous events have it.
    func releaseExecution() {
        running -= 1
        runtime.noteProgress()
        dispatchQueued()
    }

    /// The one run path of every invocation type: decodes the payload, runs the handler with
    /// the function's timeout on the runtime's clock, and encodes the response. A payload the
    /// handler cannot decode fails like a handler error; an attempt past the timeout ends as an
    /// `Unhandled` error and its handler task is cancelled. The caller holds an execution.
    func execute(_ payload: JSONValue, _ context: InvocationContext) async -> Result<JSONValue, any Error> {
        let handler = self.handler
        let runtime = self.runtime
        let timeout = self.timeout
        let requestId = context.requestId
        let result = ResultSlot()
        let work = Self.startHandler(handler, payload, context, into: result)
        let ticket = await runtime.scheduleInFlight(after: timeout) {
            if result.set(.failure(FunctionTimeout(requestId: requestId, timeout: timeout))) { work.cancel() }
        }
        let outcome = await result.value()
        runtime.cancelWithoutHop(ticket)
        return outcome
    }

    /// The handler's own task, started off the function's actor (decoding, the handler and
    /// encoding need none of its state: on the actor they cost two hops per attempt).
    private nonisolated static func startHandler(
        _ handler: @escaping Handler, _ payload: JSONValue, _ context: InvocationContext, into result: ResultSlot
    ) -> Task<Void, Never> {
        Task {
            do {
                let decoded = try JSONBridge.decode(Payload.self, from: payload)
                result.set(.success(try JSONBridge.encode(try await handler(decoded, context))))
            } catch {
                result.set(.failure(error))
            }
        }
    }
}

/// The first result of a race between a handler and its timeout, and the attempt waiting for
/// it (one object and one lock per attempt).
final class ResultSlot: Sendable {
    private struct State {
        var result: Result<JSONValue, any Error>?
        var waiter: UnsafeContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    /// Stores `r` unless a result is already there; returns whether it was stored.
    @discardableResult
    func set(_ r: Result<JSONValue, any Error>) -> Bool {
        let (first, waiter) = state.withLock { s -> (Bool, UnsafeContinuation<Void, Never>?) in
            guard s.result == nil else { return (false, nil) }
            s.result = r
            defer { s.waiter = nil }
            return (true, s.waiter)
        }
        waiter?.resume()
        return first
    }

    func value() async -> Result<JSONValue, any Error> {
        // Unsafe (unchecked) saves an allocation per attempt; `set` resumes the one waiter once.
        await withUnsafeContinuation { (c: UnsafeContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.result != nil { return true }
                s.waiter = c
                return false
            }
            if ready { c.resume() }
        }
        return state.withLock { $0.result! }
    }
}
