import Foundation

/// Pruning: records retention made unreadable are deleted from the store, so a stream's storage
/// holds about one retention period of records and stops growing.
///
/// An expired record is deleted once every event source mapping of the stream in this runtime
/// has read past it (each has counted it in `recordsExpired` if it had not processed it), and at
/// the latest `pruneGrace` after it expired, even if a paused mapping has not. A mapping whose
/// position is at deleted records (one paused that long, or restored with such a checkpoint)
/// continues from the oldest record left; the skip is logged and recorded (`dropped`).
///
/// Pruning runs on the runtime's clock: scheduled when the oldest stored record expires (or
/// when the oldest expired record reaches its grace), and again after each run while records
/// are stored.
extension DataStream {
    /// How long an expired record no mapping has read past is kept for one that may.
    public static let pruneGrace: Duration = .seconds(86_400)

    /// Schedules pruning for the next instant a stored record expires or reaches its grace.
    func armPruning() {
        let oldest: (unexpired: Date?, expired: Date?)
        do { oldest = try store.oldestArrivals(stream: name) } catch {
            reportStorageFailure("schedule the pruning of", error)
            return
        }
        let dues = [
            oldest.unexpired.map { runtime.clock.offset(of: $0) + retentionPeriod },
            oldest.expired.map { runtime.clock.offset(of: $0) + retentionPeriod + Self.pruneGrace },
        ].compactMap { $0 }
        if let due = dues.min() { armPruning(at: due) }
    }

    /// Schedules pruning at `due` unless it is scheduled for then or earlier already.
    func armPruning(at due: Duration) {
        if let pruning {
            guard due < pruning.due else { return }
            runtime.cancelWithoutHop(pruning.ticket)
        }
        let ticket = runtime.scheduleDetached(after: max(.zero, due - runtime.clock.now)) { [weak self] in await self?.prune() }
        pruning = (due, ticket)
    }

    /// Trims what retention removes, deletes what no mapping still needs, and schedules the
    /// next run.
    func prune() async {
        pruning = nil
        trim()
        let gates = await mappingPositions()
        let cutoff = runtime.clock.date(at: runtime.clock.now - retentionPeriod - Self.pruneGrace)
        for shard in 0..<shardCount {
            do {
                if try store.prune(stream: name, shard: shard, below: gates[shard] ?? .max, orArrivedAtOrBefore: cutoff) > 0 {
                    prunedThroughByShard[shard] = nil
                }
            } catch {
                reportStorageFailure("prune", error)
            }
        }
        armPruning()
    }

    /// The highest sequence pruned from `shard` (0 when none was).
    func prunedThrough(shard: Int) throws -> Int {
        if let through = prunedThroughByShard[shard] { return through }
        let through = try store.prunedThrough(stream: name, shard: shard)
        prunedThroughByShard[shard] = through
        return through
    }

    /// Per shard, the lowest sequence any mapping of this stream has not finished.
    private func mappingPositions() async -> [Int: Int] {
        var gates: [Int: Int] = [:]
        for mapping in await runtime.eventSourceMappings where mapping.source.arn == arn {
            for (shard, position) in await mapping.shardPositions() { gates[shard] = min(gates[shard] ?? .max, position) }
        }
        return gates
    }
}
