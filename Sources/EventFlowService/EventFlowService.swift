import EventFlow
import Logging
import ServiceLifecycle

/// An EventFlow runtime as a long-running service for a `ServiceGroup`: `run()` resumes the
/// stored work (call it once every function is registered and configured), runs until graceful
/// shutdown (SIGTERM, say) or cancellation, then stops accepting and polling, waits up to
/// `shutdownDeadline` for handlers in flight, and leaves everything else stored for the next start.
public struct EventFlowService: Service {
    public let runtime: EventFlowRuntime
    public var shutdownDeadline: Duration

    public init(runtime: EventFlowRuntime, shutdownDeadline: Duration = .seconds(10)) {
        self.runtime = runtime
        self.shutdownDeadline = shutdownDeadline
    }

    public func run() async throws {
        await runtime.resumeStoredWork()
        runtime.logger.info("eventflow service started")
        // Returns on graceful shutdown; throws when the task is cancelled. Either way: stop.
        try? await gracefulShutdown()
        let stillRunning = await runtime.stop(waitingUpTo: shutdownDeadline)
        runtime.logger.info(
            "eventflow service stopped", metadata: ["handlersStillRunning": "\(stillRunning)"])
    }
}
