/// Running a flattened event through the automaton.
extension Automaton {
    /// The names of the rules `bytes` (one event as UTF-8 JSON) matches, flattened into pooled
    /// buffers.
    /// `inspect` sees the buffers after the match, before they go back to the pool.
    func match(
        event bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, scanning: EventMatcher.Scanning,
        inspect: ((borrowing MatchBuffers) -> Void)? = nil
    ) throws(JSONError) -> [String] {
        let scratch = scratchPool.take()
        defer { scratchPool.give(scratch) }
        try Flattener(trie: trie.sealed, maxDepth: maxDepth, scanning: scanning).flatten(bytes, into: &scratch.buffers.pointee.event)
        let names = match(&scratch.buffers.pointee, eventBytes: bytes)
        inspect?(scratch.buffers.pointee)
        return names
    }

    /// The same, with the work the match did.
    func matchMeasuringWork(event bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, scanning: EventMatcher.Scanning)
        throws(JSONError) -> (names: [String], work: MatchWork)
    {
        var work = MatchWork(statesVisited: 0, candidatesExamined: 0, regex: RegexBudget().work)
        let names = try match(event: bytes, maxDepth: maxDepth, scanning: scanning) { x in
            work = MatchWork(statesVisited: x.statesVisited, candidatesExamined: x.candidatesExamined, regex: x.regexBudget!.pointee.work)
        }
        return (names, work)
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
            for f in x.chosen.buffer where x.event.fields[Int(f)].element >= 0 {
                unconstrained = false
                break
            }
        }
        if unconstrained {
            if x.stateDone[Int(s)] == x.epoch { return }
            x.stateDone[Int(s)] = x.epoch
        }
        x.statesVisited &+= 1
        Self.accept(values.acceptance[Int(s)], values.acceptNames, &x)
        let state = states[Int(s)]
        for slot in state.fieldIDs.indices {
            let id = Int(state.fieldIDs[slot])
            // With a field chosen from an array, candidates come through the jumping search
            // (whole elements ruled out at once); otherwise along the id's chain.
            let jumping = !x.chosen.isEmpty && x.event.arrayFields & Self.fieldBit(Int32(id)) != 0
            var k = 0
            var f = jumping ? x.event.firstConsistent(id: id, chosen: x.chosen.buffer, &k) : x.event.firstByID[id]
            // Leaf-only transitions stop once every name they can give has been given here.
            let saturation = Int(state.saturation[slot])
            var given = 0
            while f >= 0 {
                x.candidatesExamined &+= 1
                let field = x.event.fields[Int(f)]
                if jumping || field.element < 0 || consistentWithChosen(Int(f), &x) {
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
                    let matchedBefore = x.matched.count
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
                    if saturation > 0 {
                        given += x.matched.count - matchedBefore
                        if given >= saturation { break }
                    }
                }
                f = jumping ? x.event.nextConsistent(id: id, from: k + 1, chosen: x.chosen.buffer, &k) : x.event.nextSameID[Int(f)]
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
        let id = Int(fieldID)
        if !x.chosen.isEmpty && x.event.arrayFields & Self.fieldBit(fieldID) != 0 && x.event.firstByID[id] >= 0 {
            var k = 0
            return x.event.firstConsistent(id: id, chosen: x.chosen.buffer, &k) < 0
        }
        var f = x.event.firstByID[id]
        while f >= 0 {
            if x.event.fields[Int(f)].element < 0 || consistentWithChosen(Int(f), &x) { return false }
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
