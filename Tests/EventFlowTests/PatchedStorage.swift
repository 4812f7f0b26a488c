import EventFlow

/// Memory storage with some of its stores replaced (by refusing ones, in the fault tests).
final class PatchedStorage: RuntimeStorage {
    /// What a refusing store throws, as a full disk would.
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }

    private let memory = InMemoryStorage()
    let checkpoints: any CheckpointStore
    let definitions: any DefinitionStore
    let busEvents: any BusEventStore
    var queues: any QueueStore { memory.queues }
    var invocations: any AsyncInvocationStore { memory.invocations }
    var streams: any StreamStore { memory.streams }

    init(
        checkpoints: (any CheckpointStore)? = nil, definitions: (any DefinitionStore)? = nil, busEvents: (any BusEventStore)? = nil
    ) {
        self.checkpoints = checkpoints ?? memory.checkpoints
        self.definitions = definitions ?? memory.definitions
        self.busEvents = busEvents ?? memory.busEvents
    }
}
