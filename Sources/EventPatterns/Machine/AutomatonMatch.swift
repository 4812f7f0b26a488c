/// Running a flattened event through the automaton.
extension Automaton {
    /// The names of the rules `bytes` (one event as UTF-8 JSON) matches, flattened into pooled
    /// buffers.
    func match(event bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, scanning: EventMatcher.Scanning) throws(JSONError)
        -> [String]
    {
        let scratch = scratchPool.take()
        defer { scratchPool.give(scratch) }
        try Flattener(trie: trie.sealed, maxDepth: maxDepth, scanning: scanning).flatten(bytes, into: &scratch.buffers.pointee.event)
        return match(&scratch.buffers.pointee, eventBytes: bytes)
    }

    /// The same, with what the event's regex evaluations cost.
    func matchMeasuringRegexWork(event bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, scanning: EventMatcher.Scanning)
        throws(JSONError) -> (names: [String], regex: RegexWork)
    {
        let scratch = scratchPool.take()
        defer { scratchPool.give(scratch) }
        try Flattener(trie: trie.sealed, maxDepth: maxDepth, scanning: scanning).flatten(bytes, into: &scratch.buffers.pointee.event)
        let names = match(&scratch.buffers.pointee, eventBytes: bytes)
        return (names, scratch.buffers.pointee.regexBudget!.pointee.work)
    }

    /// The names of the rules an already parsed event matches: none when the parts rules read
    /// nest deeper than `maxDepth`.
    func match(event json: JSONValue, maxDepth: Int) -> [String] {
        let scratch = scratchPool.take()
        defer { scratchPool.give(scratch) }
        guard Flattener(trie: trie.sealed, maxDepth: maxDepth).flatten(json, into: &scratch.buffers.pointee.event) else {
            return []
        }
        return match(&scratch.buffers.pointee)
    }

    /// The names of the rules that match the flattened event in `scratch`, sorted ascending by
    /// byte order.
    /// `eventBytes` are the bytes the event was flattened from, when it was (values read in
    /// place point into them); they must stay valid for the call.
    func match(_ x: inout MatchBuffers, eventBytes: UnsafeBufferPointer<UInt8>? = nil) -> [String] {
        x.begin(names: names.count, states: states.count)
        x.event.index()
        // The values are read through pointers while the rest of `x` is updated.
        let values = x.event.values
        values.withUnsafeBufferPointer { values in
            acceptance.withUnsafeBufferPointer { acceptance in
                acceptNames.withUnsafeBufferPointer { acceptNames in
                    let sources = Sources(
                        decoded: values, event: eventBytes ?? UnsafeBufferPointer(start: nil, count: 0), acceptance: acceptance,
                        acceptNames: acceptNames)
                    visit(0, &x, sources)
                }
            }
        }
        x.event.clearIndex()
        var m = x.matched.buffer
        if m.count > 16 {
            m.sort { nameRank[Int($0)] < nameRank[Int($1)] }
        } else if m.count > 1 {
            // Few names (the usual case): an insertion sort without closure calls.
            nameRank.withUnsafeBufferPointer { rank in
                    for i in 1..<m.count {
                        let v = m[i]
                        var j = i
                        while j > 0 && rank[Int(m[j - 1])] > rank[Int(v)] {
                            m[j] = m[j - 1]
                            j -= 1
                        }
                        m[j] = v
                    }
            }
        }
        return m.map { names[Int($0)] }
    }

    /// Where field values live (decoded copies, or the event's own bytes), and the acceptance
    /// tables read through pointers: read as properties inside the lookup's closure they were
    /// retained and released at every call.
    struct Sources {
        let decoded: UnsafeBufferPointer<UInt8>
        let event: UnsafeBufferPointer<UInt8>
        let acceptance: UnsafeBufferPointer<Acceptance>
        let acceptNames: UnsafeBufferPointer<Int32>
    }

    private func visit(_ s: Int32, _ x: inout MatchBuffers, _ values: Sources) {
        // With no array element chosen yet, or when no field read onward from here sits in an
        // array, what can follow depends only on the state, so a second visit finds nothing new.
        var unconstrained = downstreamFields[Int(s)] & x.event.arrayFields == 0
        if !unconstrained {
            unconstrained = true
            for f in x.chosen.buffer where x.event.fields[Int(f)].trailCount != 0 {
                unconstrained = false
                break
            }
        }
        if unconstrained {
            if x.stateDone[Int(s)] == x.epoch { return }
            x.stateDone[Int(s)] = x.epoch
        }
        Self.accept(values.acceptance[Int(s)], values.acceptNames, &x)
        let state = states[Int(s)]
        for slot in state.fieldIDs.indices {
            var f = x.event.firstByID[Int(state.fieldIDs[slot])]
            while f >= 0 {
                let field = x.event.fields[Int(f)]
                if field.trailCount == 0 || consistentWithChosen(Int(f), &x) {
                    let source = field.inEvent ? values.event : values.decoded
                    let value = EventValue(
                        kind: field.kind, bytes: UnsafeBufferPointer(rebasing: source[Int(field.start)..<Int(field.end)]),
                        number: field.number, regexBudget: x.regexBudget)
                    let first = x.targets.count
                    x.stamp &+= 1
                    if x.stamp == 0 {  // wrapped: clear so old stamps cannot collide
                        x.targetStamp.reset(count: x.targetStamp.count, to: 0)
                        x.stamp = 1
                    }
                    let stamp = x.stamp
                    state.transitions[slot].forEachTarget(value) { t in
                        // A leaf only accepts, so it is accepted at once (names are
                        // deduplicated there): no stamp and no pass through `targets`, which
                        // at 100,000 rules are a cache miss each per match.
                        let record = values.acceptance[Int(t)]
                        if record.isLeaf {
                            Self.accept(record, values.acceptNames, &x)
                            return
                        }
                        if x.targetStamp[Int(t)] == stamp { return }
                        x.targetStamp[Int(t)] = stamp
                        x.targets.append(t)
                    }
                    if x.targets.count > first {
                        x.chosen.append(f)
                        var k = first
                        while k < x.targets.count {
                            visit(x.targets[k], &x, values)
                            k += 1
                        }
                        x.chosen.removeLast()
                        x.targets.removeLast(x.targets.count - first)
                    }
                }
                f = x.event.nextSameID[Int(f)]
            }
        }
        for k in state.absentFieldIDs.indices where absent(state.absentFieldIDs[k], &x) {
            for t in state.absentTargets[k] { visit(t, &x, values) }
        }
    }

    /// `exists: false` holds when no value of the field could serve the rule alongside the
    /// fields chosen so far: values in other elements of an array a chosen field came from do
    /// not count (event-ruler's array consistency, applied to absence as well).
    @inline(__always)
    private func absent(_ fieldID: Int32, _ x: inout MatchBuffers) -> Bool {
        var f = x.event.firstByID[Int(fieldID)]
        while f >= 0 {
            if x.event.fields[Int(f)].trailCount == 0 || consistentWithChosen(Int(f), &x) { return false }
            f = x.event.nextSameID[Int(f)]
        }
        return true
    }

    /// Records the names a state accepts (each once per match).
    /// Static, so the lookup closures that call it capture nothing but the buffers.
    @inline(__always)
    private static func accept(_ record: Acceptance, _ names: UnsafeBufferPointer<Int32>, _ x: inout MatchBuffers) {
        if record.end - record.start == 1 {
            // One name (the usual case) is kept in the record itself.
            acceptName(record.firstName, &x)
            return
        }
        var a = Int(record.start)
        while a < Int(record.end) {
            acceptName(names[a], &x)
            a += 1
        }
    }

    @inline(__always)
    private static func acceptName(_ name: Int32, _ x: inout MatchBuffers) {
        if x.nameSeen[Int(name)] != x.epoch {
            x.nameSeen[Int(name)] = x.epoch
            x.matched.append(name)
        }
    }

    @inline(__always)
    private func consistentWithChosen(_ f: Int, _ x: inout MatchBuffers) -> Bool {
        for c in x.chosen.buffer where !x.event.consistent(Int(c), f) { return false }
        return true
    }
}
