import EventPatterns

/// One ordered line of processing within a shard: the shard itself, or with a
/// `ParallelizationFactor` above 1, the records whose partition keys hash to one lane.
struct LaneKey: Hashable, Sendable {
    var shard: Int
    var lane: Int
}

/// A batch read from a lane and not yet finished (retrying, or one half of a bisected batch).
struct PendingBatch: Sendable {
    var records: [DataStream.Record]
    /// The last sequence scanned to build the batch (filtered-out records included).
    var scanEnd: Int
    /// Records skipped by the filters within the scan, counted when the batch is finished.
    var filteredOut: Int
    var attempts = 0
    var throttles = 0
    var lastRequestId: String?
}

struct Lane: Sendable {
    /// The next sequence to read.
    var position: Int
    var busy = false
    var batches: [PendingBatch] = []
    var windowDeadline: Duration?
    var retryAt: Duration?
}

/// Polling a stream: each lane reads in sequence order, skips what no filter matches, and
/// blocks on its batch until it succeeds, runs out of retries or gets too old; then the batch
/// is given up on and its batch info goes to the on-failure destination.
extension EventSourceMapping {
    func pollStream() async {
        if relanePending && !lanes.values.contains(where: \.busy) { relane() }
        for key in lanes.keys.sorted(by: { ($0.shard, $0.lane) < ($1.shard, $1.lane) }) {
            await pollLane(key)
        }
    }

    /// Rebuilds the lanes for a new `ParallelizationFactor`. Each shard restarts at the oldest
    /// record any of its lanes still had to finish, so nothing is skipped; records a faster lane
    /// had already finished may be delivered again (at least once, as when Lambda rebalances).
    private func relane() {
        relanePending = false
        var restart: [Int: Int] = [:]
        for (key, lane) in lanes {
            let pending = lane.batches.first?.records.first?.sequence ?? lane.position
            restart[key.shard] = min(restart[key.shard] ?? .max, min(pending, lane.position))
        }
        setLanes(shards: restart.keys) { restart[$0]! }
    }

    /// Replaces the lanes: `ParallelizationFactor` lanes per shard, each starting at `position`.
    func setLanes(shards: some Sequence<Int>, position: (Int) -> Int) {
        lanes = [:]
        for shard in shards {
            for lane in 0..<settings.parallelizationFactor {
                lanes[LaneKey(shard: shard, lane: lane)] = Lane(position: position(shard))
            }
        }
    }

    private func laneOf(_ record: DataStream.Record) -> Int {
        settings.parallelizationFactor == 1 ? 0 : Int(MD5.digest(record.partitionKey.utf8)[15]) % settings.parallelizationFactor
    }

    func pollLane(_ key: LaneKey) async {
        guard case .stream(let stream) = source, state == .enabled, var lane = lanes[key], !lane.busy else { return }
        if let retryAt = lane.retryAt, retryAt > runtime.clock.now { return }
        lane.busy = true
        lane.retryAt = nil
        lanes[key] = lane
        beginWork()
        defer {
            lanes[key]?.busy = false
            endWork()
        }
        while state == .enabled {
            if lanes[key]!.batches.isEmpty {
                guard let batch = await nextBatch(key, stream: stream) else { break }
                lanes[key]!.batches = [batch]
            }
            var batch = lanes[key]!.batches[0]
            let now = runtime.clock.now
            let age = now - batch.records[0].arrivedAt
            if (settings.maximumRecordAge != -1 && age > .seconds(settings.maximumRecordAge)) || age >= stream.retentionPeriod {
                await giveUp(key, batch, .recordAgeExceeded, stream: stream)
                continue
            }
            let records = batch.records.map {
                stream.kind == .kinesis
                    ? BatchRecords.kinesis($0, stream: stream, runtime: runtime)
                    : BatchRecords.dynamodb($0, stream: stream, runtime: runtime)
            }
            let result = await function.invokeForMapping(BatchRecords.payload(records))
            batch.lastRequestId = result.requestId
            var failed = false
            switch result {
            case .throttled:
                // Throttles wait and retry without using an attempt.
                statistics.invocations += 1
                statistics.throttles += 1
                batch.throttles += 1
                lanes[key]!.batches[0] = batch
                await retry(key, after: Self.backoff(batch.throttles))
                return
            case .functionError:
                statistics.invocations += 1
                failed = true
            case .response(let response, _):
                statistics.invocations += 1
                if settings.reportBatchItemFailures {
                    switch BatchItemFailures.parse(response, known: Set(batch.records.map(\.sequenceNumber))) {
                    case .none: break
                    case .all: failed = true
                    case .some(let ids):
                        // Checkpoint at the lowest reported sequence number: everything before
                        // it succeeded; the retry (or the split, with bisect) starts there.
                        let lowest = batch.records.first { ids.contains($0.sequenceNumber) }!
                        let done = batch.records.filter { $0.sequence < lowest.sequence }
                        statistics.recordsSucceeded += done.count
                        batch.records.removeFirst(done.count)
                        batch.attempts += 1
                        lanes[key]!.batches[0] = batch
                        if await exhausted(key, batch, stream: stream) { continue }
                        await retry(key, after: Self.backoff(batch.attempts))
                        return
                    }
                }
            }
            if !failed {
                finish(key, batch)
                statistics.recordsSucceeded += batch.records.count
                await storeCheckpoint(ofShard: key.shard)
                continue
            }
            batch.attempts += 1
            if settings.bisect && batch.records.count > 1 {
                // Splitting is not a retry: each half starts with its own attempts.
                let half = batch.records.count / 2
                let first = PendingBatch(
                    records: Array(batch.records[..<half]), scanEnd: batch.records[half - 1].sequence, filteredOut: 0,
                    lastRequestId: batch.lastRequestId)
                var second = PendingBatch(
                    records: Array(batch.records[half...]), scanEnd: batch.scanEnd, filteredOut: batch.filteredOut,
                    lastRequestId: batch.lastRequestId)
                second.throttles = 0
                lanes[key]!.batches.replaceSubrange(0..<1, with: [first, second])
                continue
            }
            lanes[key]!.batches[0] = batch
            if await exhausted(key, batch, stream: stream) { continue }
            await retry(key, after: Self.backoff(batch.attempts))
            return
        }
    }

    /// Gives up on the head batch once its retries are used up.
    private func exhausted(_ key: LaneKey, _ batch: PendingBatch, stream: DataStream) async -> Bool {
        guard settings.maximumRetryAttempts != -1, batch.attempts > settings.maximumRetryAttempts else { return false }
        await giveUp(key, batch, .retryAttemptsExhausted, stream: stream)
        return true
    }

    private func retry(_ key: LaneKey, after delay: Duration) async {
        let due = runtime.clock.now + delay
        lanes[key]!.retryAt = due
        await wake(at: due, key: "lane\(key.shard).\(key.lane)") { await $0.pollLane(key) }
    }

    /// Reads the next batch of the lane: up to the batch size of matching records, waiting for
    /// the batching window when the batch is not full. Nil when there is nothing to send now.
    private func nextBatch(_ key: LaneKey, stream: DataStream) async -> PendingBatch? {
        let lane = lanes[key]!
        // Read in chunks: a lane needs only a batch's worth of its own records at a time.
        let chunk = max(64, 2 * settings.batchSize * settings.parallelizationFactor)
        let read = await stream.read(shard: key.shard, from: lane.position, limit: chunk)
        var available = read.records
        var position = lane.position
        if let pruned = read.pruned {
            skipPruned(pruned, shard: key.shard, stream: stream)
            position = pruned.upperBound + 1
        }
        for record in read.expired where laneOf(record) == key.lane {
            statistics.recordsExpired += 1
            position = max(position, record.sequence + 1)
            runtime.logger.warning(
                "\(function.name): record \(record.sequenceNumber) of \(stream.name) expired before processing",
                metadata: ["function": "\(function.name)", "stream": "\(stream.name)"])
        }
        lanes[key]!.position = position
        var batch: [DataStream.Record] = []
        var filtered = 0
        var scanEnd = position - 1
        var bytes = 0
        // The last record scanned to the end of its chunk, this lane's or another's: with no
        // batch, the lane has nothing to do up to it, so its position (and the shard's
        // checkpoint) may move past it.
        var lastRead = position - 1
        scan: while !available.isEmpty {
            for record in available where record.sequence >= position && laneOf(record) == key.lane {
                if batch.count == settings.batchSize || bytes + record.data.count > Self.maximumPayloadBytes { break scan }
                scanEnd = record.sequence
                if let filter = settings.filter, !filter.keeps(filterView(record, stream: stream)) {
                    filtered += 1
                    continue
                }
                batch.append(record)
                bytes += record.data.count + 512
            }
            lastRead = available.last!.sequence
            if available.count < chunk { break }
            available = await stream.read(shard: key.shard, from: available.last!.sequence + 1, limit: chunk).records
        }
        if batch.isEmpty {
            statistics.recordsFilteredOut += filtered
            lanes[key]!.position = max(scanEnd, lastRead) + 1
            lanes[key]!.windowDeadline = nil
            return nil
        }
        let now = runtime.clock.now
        let deadline = lanes[key]!.windowDeadline ?? now + settings.window
        if batch.count < settings.batchSize && now < deadline {
            lanes[key]!.windowDeadline = deadline
            await wake(at: deadline, key: "lane\(key.shard).\(key.lane)") { await $0.pollLane(key) }
            return nil
        }
        lanes[key]!.windowDeadline = nil
        return PendingBatch(records: batch, scanEnd: scanEnd, filteredOut: filtered)
    }

    /// A lane at records the stream has deleted (a mapping paused past their grace, or restored
    /// with a checkpoint before them) continues after them. How many of them were this lane's
    /// is not known any more: the skip is logged and recorded, not counted. Lambda sends no
    /// on-failure record for them either: it never read them.
    private func skipPruned(_ pruned: ClosedRange<Int>, shard: Int, stream: DataStream) {
        let from = DataStream.sequenceNumber(pruned.lowerBound)
        let through = DataStream.sequenceNumber(pruned.upperBound)
        let what = "records of \(stream.shardId(shard)) of \(stream.name) from sequence number \(from) through \(through)"
        runtime.record(.dropped, resource: uuid, id: stream.arn, reason: "\(what) were pruned before processing")
        runtime.logger.warning(
            "\(function.name): \(what) were pruned (past the stream's retention) before processing; continuing with the oldest record left",
            metadata: ["function": "\(function.name)", "stream": "\(stream.name)", "mapping": "\(uuid)"])
    }

    private func filterView(_ record: DataStream.Record, stream: DataStream) -> JSONValue {
        switch stream.kind {
        case .kinesis: return RecordFilter.kinesisView(BatchRecords.kinesis(record, stream: stream, runtime: runtime), data: record.data)
        case .dynamodb: return BatchRecords.dynamodb(record, stream: stream, runtime: runtime)
        }
    }

    /// Drops the head batch and moves the lane's position past what it covered.
    private func finish(_ key: LaneKey, _ batch: PendingBatch) {
        statistics.recordsFilteredOut += batch.filteredOut
        lanes[key]!.batches.removeFirst()
        lanes[key]!.position = max(lanes[key]!.position, batch.scanEnd + 1)
    }

    /// Gives up on the head batch: its record goes to the on-failure destination (a queue's in
    /// the same transaction as the shard's checkpoint), or it is a logged, counted drop.
    private func giveUp(_ key: LaneKey, _ batch: PendingBatch, _ condition: BatchRecords.StreamCondition, stream: DataStream) async {
        finish(key, batch)
        let record = BatchRecords.streamFailure(
            requestId: batch.lastRequestId ?? runtime.ids.make(), functionArn: function.functionArn, condition: condition,
            invokeCount: batch.attempts, timestamp: runtime.clock.date(at: runtime.clock.now), batch: batch.records,
            stream: stream, runtime: runtime)
        failureRecords.append(record)
        let id = batch.lastRequestId ?? stream.arn
        var delivered = false
        var outbox = Outbox()
        switch settings.onFailure {
        case .queue(let queue)?:
            delivered = outbox.add(record.jsonText, to: queue, from: uuid, id: id, runtime: runtime)
        case let target?:
            delivered = await runtime.deliver(Delivery(.json(record)), to: target.deliveryTarget, from: uuid, id: id)
        case nil:
            runtime.record(
                .dropped, resource: uuid, id: id,
                reason: "gave up on \(batch.records.count) records of \(stream.name): \(condition.rawValue); no on-failure destination")
            runtime.logger.warning(
                "\(function.name): gave up on \(batch.records.count) records of \(stream.name): \(condition.rawValue)",
                metadata: ["function": "\(function.name)", "stream": "\(stream.name)"])
        }
        if await storeCheckpoint(ofShard: key.shard, outbox: outbox.messages) {
            await outbox.announce(from: uuid, id: id, runtime: runtime)
        } else if !outbox.messages.isEmpty {
            delivered = false
        }
        if delivered {
            statistics.recordsSentToOnFailure += batch.records.count
        } else {
            statistics.recordsDiscarded += batch.records.count
        }
    }
}
