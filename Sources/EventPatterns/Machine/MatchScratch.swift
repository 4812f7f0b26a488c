/// Buffers one match needs: the flattened event and the bookkeeping of the automaton walk.
/// Pooled per automaton and reused, so matching does not allocate in the steady state.
struct MatchBuffers {
    var event = FlatEvent()
    var chosen = ScratchVector<Int32>()
    var targets = ScratchVector<Int32>()
    var matched = ScratchVector<Int32>()
    /// Per name id / state id: the epoch in which it was last seen.
    var nameSeen = ScratchVector<UInt32>()
    var stateDone = ScratchVector<UInt32>()
    var epoch: UInt32 = 0
    /// Per state id: the stamp of the last transition lookup that yielded it, so a lookup's
    /// targets are deduplicated in constant time however many there are.
    var targetStamp = ScratchVector<UInt32>()
    var stamp: UInt32 = 0
    /// The event's regex work budget, behind a pointer the value lookups carry (set by the
    /// owning `MatchScratch`).
    var regexBudget: UnsafeMutablePointer<RegexBudget>?
    /// Work done by this match: states visited and event fields examined as candidates.
    var statesVisited = 0
    var candidatesExamined = 0

    mutating func begin(names: Int, states: Int) {
        if nameSeen.count != names { nameSeen.reset(count: names, to: 0) }
        if stateDone.count != states { stateDone.reset(count: states, to: 0) }
        if targetStamp.count != states { targetStamp.reset(count: states, to: 0) }
        epoch &+= 1
        if epoch == 0 {  // wrapped: clear so old stamps cannot collide
            nameSeen.reset(count: names, to: 0)
            stateDone.reset(count: states, to: 0)
            epoch = 1
        }
        // Emptied by the previous match (its pushes and pops balance) unless it was cut short.
        chosen.removeAll()
        targets.removeAll()
        matched.removeAll()
        regexBudget?.pointee.reset()
        statesVisited = 0
        candidatesExamined = 0
    }

    /// Frees the scratch vectors (the owner calls this once, when it goes away).
    mutating func free() {
        event.free()
        chosen.free()
        targets.free()
        matched.free()
        nameSeen.free()
        stateDone.free()
        targetStamp.free()
        if let regexBudget {
            regexBudget.pointee.free()
            regexBudget.deinitialize(count: 1)
            regexBudget.deallocate()
        }
        regexBudget = nil
    }
}

/// One set of buffers in a box, so that taking it from the pool and giving it back moves a
/// single reference instead of copying (and retaining) every array inside.
final class MatchScratch: @unchecked Sendable {
    // Unchecked: a scratch belongs to exactly one match at a time, between `take` and `give`.
    // Behind a pointer rather than a stored `var`, so each use skips the dynamic exclusivity
    // check a class property would need.
    let buffers: UnsafeMutablePointer<MatchBuffers>

    init() {
        buffers = .allocate(capacity: 1)
        buffers.initialize(to: MatchBuffers())
        let budget = UnsafeMutablePointer<RegexBudget>.allocate(capacity: 1)
        budget.initialize(to: RegexBudget())
        buffers.pointee.regexBudget = budget
    }

    deinit {
        buffers.pointee.free()
        buffers.deinitialize(count: 1)
        buffers.deallocate()
    }
}

/// A lock-protected free list of buffers; each match takes one set and gives it back.
final class ScratchPool: Sendable {
    private let free = Lock<[MatchScratch]>([])

    func take() -> MatchScratch {
        free.withLock { $0.popLast() } ?? MatchScratch()
    }

    func give(_ scratch: MatchScratch) {
        free.withLock { list in
            if list.count < 64 { list.append(scratch) }
        }
    }
}
