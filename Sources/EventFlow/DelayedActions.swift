import HeapModule

/// The scheduler's delayed actions: each by ticket with its due instant, and the same ordered
/// by due time so that "is anything due?" costs O(log n) (entries of started or cancelled
/// actions are dropped from the heap lazily, when they reach its top).
///
/// The runtime keeps it behind a lock rather than in its actor state, so that on a clock the
/// runtime moves itself a handler's timeout is scheduled and withdrawn by the function running
/// the handler without a hop to the runtime and back for each.
struct DelayedActions {
    private var pending: [Int: Duration] = [:]
    private var dueOrder = Heap<ScheduledDue>()
    private var nextTicket = 0
    /// Delayed actions waiting for their instant.
    private var waiting: [Int: @Sendable () async -> Void] = [:]
    /// Those of them that are part of work already running (they start even after `stop`).
    private var inFlightTickets: Set<Int> = []
    /// On the real clock: the instant the runtime's timer task sleeps until (nil when none
    /// sleeps), kept here so that work scheduling under this lock knows whether to wake it.
    var timerUntil: Duration?

    /// The ticket of the next action scheduled.
    mutating func takeTicket() -> Int {
        defer { nextTicket += 1 }
        return nextTicket
    }

    mutating func add(_ ticket: Int, due: Duration, inFlight: Bool, _ work: @escaping @Sendable () async -> Void) {
        pending[ticket] = due
        dueOrder.insert(ScheduledDue(at: due, ticket: ticket))
        waiting[ticket] = work
        if inFlight { inFlightTickets.insert(ticket) }
    }

    /// Withdraws an action that has not started.
    mutating func cancel(_ ticket: Int) {
        guard pending.removeValue(forKey: ticket) != nil else { return }
        waiting[ticket] = nil
        inFlightTickets.remove(ticket)
    }

    /// Actions not started yet.
    var count: Int { pending.count }

    /// When the earliest action not yet started is due.
    mutating func nextDue() -> Duration? {
        while let first = dueOrder.min, pending[first.ticket] == nil { dueOrder.removeMin() }
        return dueOrder.min?.at
    }

    /// Takes the earliest action due by `now`: its work (nil if it was withdrawn meanwhile) and
    /// whether it was in flight. `keep` says, given whether it is in flight, whether it stays
    /// scheduled for later after all (after `stop`, only work in flight starts).
    mutating func takeDue(
        by now: Duration, keep: (Bool) -> Bool = { _ in false }
    ) -> (work: (@Sendable () async -> Void)?, inFlight: Bool)? {
        guard let next = nextDue(), next <= now, let first = dueOrder.min else { return nil }
        dueOrder.removeMin()
        let inFlight = inFlightTickets.remove(first.ticket) != nil
        let work = waiting.removeValue(forKey: first.ticket)
        if keep(inFlight) { return (nil, inFlight) }
        pending[first.ticket] = nil
        return (work, inFlight)
    }
}

struct ScheduledDue: Comparable {
    var at: Duration
    var ticket: Int
    static func < (a: ScheduledDue, b: ScheduledDue) -> Bool { (a.at, a.ticket) < (b.at, b.ticket) }
}
