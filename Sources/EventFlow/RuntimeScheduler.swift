extension EventFlowRuntime {
    /// Runs `work` once `delay` has passed on the runtime's clock; returns a ticket for `cancel`.
    ///
    /// With a clock the runtime moves itself nothing sleeps on the clock: `settle()` and
    /// `advance(by:)` start due actions in the order they fell due. (Every action sleeping on a
    /// test clock made a thousand retries due at one instant cost half a second of real time.)
    /// Otherwise one task sleeps on the clock until the earliest due instant and starts what
    /// is due then (a task sleeping per action — one for every handler's timeout — cost a
    /// timer and a task each).
    ///
    /// After `stop`, delayed work does not start (it stays stored, on durable storage, for the
    /// next start) unless it is `inFlight`: part of work already running, such as a handler's
    /// wake-up from `sleep(for:)` or its timeout, which must still come for it to finish.
    @discardableResult
    public func schedule(
        after delay: Duration, inFlight: Bool = false, _ work: @escaping @Sendable () async -> Void
    ) -> Int {
        let ticket = delayed.withLock { $0.takeTicket() }
        if delay <= .zero {
            launch(work)
            return ticket
        }
        let due = clock.now + delay
        delayed.withLock { $0.add(ticket, due: due, inFlight: inFlight && !serial, work) }
        if !serial { armTimer() }
        return ticket
    }

    /// `schedule(after:inFlight: true, _:)` from work already running (a handler's timeout),
    /// without a hop to the runtime and back: the action is added under the scheduler's lock on
    /// the caller's executor. On the real clock the runtime is visited only when the timer has
    /// to wake earlier than it sleeps (rarely: time-outs mostly fall due after those before).
    nonisolated(nonsending) func scheduleInFlight(after delay: Duration, _ work: @escaping @Sendable () async -> Void) async -> Int {
        let serial = self.serial
        if !serial && delay <= .zero { return await schedule(after: delay, inFlight: true, work) }
        if delay <= .zero {
            // Serially: ready at once, in call order.
            let ticket = delayed.withLock { $0.takeTicket() }
            ready.withLock { $0.append(work) }
            return ticket
        }
        let (ticket, wakeEarlier) = addDelayed(due: clock.now + delay, inFlight: !serial, work)
        if wakeEarlier { await armTimer() }
        return ticket
    }

    /// `schedule(after:_:)` from another actor without waiting for the runtime (a stream
    /// scheduling its pruning from a read): the action is added at once, the timer armed after.
    nonisolated func scheduleDetached(after delay: Duration, _ work: @escaping @Sendable () async -> Void) -> Int {
        let (ticket, wakeEarlier) = addDelayed(due: clock.now + delay, inFlight: false, work)
        if wakeEarlier { Task { await self.armTimer() } }
        return ticket
    }

    /// Adds a delayed action under the scheduler's lock; whether the real clock's timer must wake
    /// earlier than it sleeps for it (never on a clock the runtime moves itself).
    private nonisolated func addDelayed(
        due: Duration, inFlight: Bool, _ work: @escaping @Sendable () async -> Void
    ) -> (ticket: Int, wakeEarlier: Bool) {
        let serial = self.serial
        return delayed.withLock { actions in
            let ticket = actions.takeTicket()
            actions.add(ticket, due: due, inFlight: inFlight, work)
            return (ticket, !serial && actions.timerUntil.map { due < $0 } ?? !serial)
        }
    }

    /// `cancel(_:)` without a hop (withdrawing needs only the lock): a handler's timeout, or a
    /// `scheduleDetached` action from another actor.
    nonisolated func cancelWithoutHop(_ ticket: Int) {
        delayed.withLock { $0.cancel(ticket) }
    }

    /// Makes the timer task sleep until the earliest due instant (a new one only when that
    /// instant is earlier than the one it sleeps until).
    func armTimer() {
        guard let next = nextDue else { return }
        if let until = delayed.withLock({ $0.timerUntil }), until <= next { return }
        timer?.cancel()
        let clock = self.clock
        timer = Task { [weak self] in
            try? await clock.sleepUntil(next)
            await self?.timerFired(next)
        }
        delayed.withLock { $0.timerUntil = next }
    }

    /// Starts every action due by now, in the order they fell due, then sleeps again.
    private func timerFired(_ instant: Duration) {
        // Not the timer any more when it was replaced by an earlier one.
        let current = delayed.withLock { actions in
            guard actions.timerUntil == instant else { return false }
            actions.timerUntil = nil
            return true
        }
        guard current else { return }
        timer = nil
        let now = clock.now
        let accepting = isAccepting
        // After `stop` only work in flight starts; the rest stays scheduled (and stored).
        while let due = delayed.withLock({ $0.takeDue(by: now, keep: { inFlight in !accepting && !inFlight }) }) {
            if let work = due.work { start(work) }
        }
        armTimer()
    }

    /// Withdraws a scheduled action that has not started (a time-out whose attempt finished).
    public func cancel(_ ticket: Int) {
        delayed.withLock { $0.cancel(ticket) }
    }

    /// Runs `work` now (concurrent mode) or queues it to run next (serial mode).
    public func perform(_ work: @escaping @Sendable () async -> Void) {
        launch(work)
    }

    /// `perform` from outside the runtime without waiting: counted from this call on, so a
    /// `settle()` running meanwhile cannot miss it, and (serially) queued in call order.
    public nonisolated func performSoon(_ work: @escaping @Sendable () async -> Void) {
        if serial {
            ready.withLock { $0.append(work) }
            return
        }
        // Counted as running from this call on (no hop to the runtime: the counters are atomic).
        actionStarting()
        Self.run(work, then: self)
    }

    /// Counts an action as running before its task starts (concurrent mode), for `settle()` and
    /// `isIdle`; the task ends it with `finishAction()`.
    nonisolated func actionStarting() {
        runningActions.add(1, ordering: .sequentiallyConsistent)
        noteProgress()
    }

    private func launch(_ work: @escaping @Sendable () async -> Void) {
        if serial {
            ready.withLock { $0.append(work) }
        } else {
            start(work)
        }
    }

    private func start(_ work: @escaping @Sendable () async -> Void) {
        actionStarting()
        Self.run(work, then: self)
    }

    /// Runs an action as its own task, not on the runtime's executor (the work hops to its own
    /// actor at once), and counts it finished from that task.
    private static func run(_ work: @escaping @Sendable () async -> Void, then runtime: EventFlowRuntime) {
        Task {
            await work()
            runtime.finishAction()
        }
    }

    nonisolated func finishAction() {
        runningActions.subtract(1, ordering: .sequentiallyConsistent)
        noteProgress()
    }

    /// Records that work moved forward (see `settle`).
    nonisolated func noteProgress() { progress.add(1, ordering: .relaxed) }

    /// Suspends the caller for `duration` on the runtime's clock (a handler simulating its own
    /// duration: `context.sleep(for:)`). On a clock the runtime moves the wake-up is one of its
    /// scheduled actions, so `advance(by:)` stops there, and the sleeper does not count as
    /// running for `settle()`. Throws `CancellationError` when the task is cancelled (a
    /// timed-out handler).
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        if duration <= .zero { return }
        let wake = Wake()
        let id = nextSleep
        nextSleep += 1
        let ticket = schedule(after: duration, inFlight: true) { await self.endSleep(id, cancelled: false) }
        parkedSleeps[id] = (wake, ticket)
        parked += 1
        noteProgress()
        await withTaskCancellationHandler {
            await wake.wait()
        } onCancel: {
            Task { await self.endSleep(id, cancelled: true) }
        }
        if wake.wasCancelled { throw CancellationError() }
    }

    /// Ends a sleep: it stops counting as parked before the sleeper resumes, so `settle()`
    /// waits for what the sleeper does next.
    private func endSleep(_ id: Int, cancelled: Bool) {
        guard let entry = parkedSleeps.removeValue(forKey: id) else { return }
        parked -= 1
        noteProgress()
        if cancelled { cancel(entry.ticket) }
        entry.wake.fire(cancelled: cancelled)
    }

    /// Whether nothing is running (but sleepers), nothing is ready and nothing is due by now.
    public var isIdle: Bool {
        guard running - parked == 0 else { return false }
        guard ready.withLock({ $0.isEmpty }) else { return false }
        guard let next = nextDue else { return true }
        return next > clock.now
    }

    /// Actions scheduled for later than now.
    public var scheduledCount: Int { delayed.withLock { $0.count } }

    /// Waits until everything due at the current time (and whatever that triggers) has run.
    /// Serially, it starts one ready action at a time and waits until it has finished or
    /// parked. Gives up only when nothing has started, finished or parked for `maxRounds`
    /// rounds and at least `stallTimeout` of real time (a handler waiting on something that
    /// never comes), so a test fails on its expectations instead of hanging — while a handler
    /// that is merely slow on a loaded machine is waited for, which keeps runs repeatable.
    public func settle(maxRounds: Int = 100_000, stallTimeout: Duration = .seconds(10)) async {
        var quietRounds = 0
        var stalledRounds = 0
        var stalledSince = ContinuousClock.now
        var lastProgress = progress.load(ordering: .relaxed)
        while quietRounds < 20 {
            if startNextReady() {
                quietRounds = 0
                continue
            }
            if isIdle { quietRounds += 1 } else { quietRounds = 0 }
            let now = progress.load(ordering: .relaxed)
            if now == lastProgress {
                stalledRounds += 1
                if stalledRounds >= maxRounds && ContinuousClock.now - stalledSince >= stallTimeout { return }
            } else {
                stalledRounds = 0
                stalledSince = ContinuousClock.now
                lastProgress = now
            }
            await pause(stalledRounds: stalledRounds)
        }
    }

    /// Between rounds of `settle`: a yield while work is moving, a short sleep once nothing has
    /// moved for a while, so a settle waiting on a slow handler leaves the CPU to it (and to
    /// other runtimes' work) instead of spinning.
    private func pause(stalledRounds: Int) async {
        if stalledRounds < 100 {
            await Task.yield()
        } else {
            try? await Task.sleep(for: .microseconds(50))
        }
    }

    /// Waits until the runtime is idle — nothing running but handlers sleeping on its clock,
    /// nothing ready, nothing due — however long handlers take in real time, up to `timeout` of
    /// real time. Returns whether it got there. Unlike `settle()`, it does not give up on a
    /// handler that is slow to make progress; it gives up only at the deadline.
    @discardableResult
    public func settle(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var quietRounds = 0
        var stalledRounds = 0
        var lastProgress = progress.load(ordering: .relaxed)
        while ContinuousClock.now < deadline {
            if startNextReady() {
                quietRounds = 0
                continue
            }
            if isIdle {
                quietRounds += 1
                if quietRounds >= 20 { return true }
            } else {
                quietRounds = 0
            }
            let now = progress.load(ordering: .relaxed)
            stalledRounds = now == lastProgress ? stalledRounds + 1 : 0
            lastProgress = now
            await pause(stalledRounds: stalledRounds)
        }
        return isIdle
    }

    /// With nothing running (but sleepers), starts the next ready action, or makes the earliest
    /// due action ready; returns whether it started one.
    private func startNextReady() -> Bool {
        guard running - parked == 0 else { return false }
        if let work = ready.withLock({ $0.popFirst() }) {
            start(work)
            return true
        }
        startNextDue()
        return false
    }

    /// Starts (serially: makes ready) the earliest waiting action whose instant has come.
    private func startNextDue() {
        let now = clock.now
        if let work = delayed.withLock({ $0.takeDue(by: now) })?.work { launch(work) }
    }

    /// Moves a clock that tests move by hand (see `RuntimeClock.init(_:startDate:advance:)`)
    /// forward by `duration`, stopping at every instant something is due and settling there,
    /// so every action runs with its own instant as now and whatever it schedules within the
    /// span runs too. With any other clock it only settles.
    public func advance(by duration: Duration) async {
        await settle()
        guard let moveTo = clock.moveTo else { return }
        let target = clock.now + duration
        while let next = nextDue, next > clock.now, next <= target {
            await moveTo(next)
            await settle()
        }
        if clock.now < target {
            await moveTo(target)
            await settle()
        }
    }

    /// When the earliest action not yet started is due.
    var nextDue: Duration? { delayed.withLock { $0.nextDue() } }
}
