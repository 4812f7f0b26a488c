import Logging

extension EventFlowRuntime {
    /// A store failure in a call that cannot throw: logged as an error and recorded in the
    /// activity log (`storageFailed`), so it is never silent.
    nonisolated func reportStorageFailure(_ message: String, resource: String, id: String = "", metadata: Logger.Metadata) {
        record(.storageFailed, resource: resource, id: id, reason: message)
        logger.error("\(message)", metadata: metadata)
    }
}
