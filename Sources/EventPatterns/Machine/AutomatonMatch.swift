/// Running a flattened event through the automaton.
extension Automaton {
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
            visit(0, &x, Sources(decoded: values, event: eventBytes ?? UnsafeBufferPointer(start: nil, count: 0)))
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

    /// Where field values live: decoded copies, or the event's own bytes.
    struct Sources {
        let decoded: UnsafeBufferPointer<UInt8>
        let event: UnsafeBufferPointer<UInt8>
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
        accept(Int(s), &x)
        let state = states[Int(s)]
        for slot in state.fieldIDs.indices {
            var f = x.event.firstByID[Int(state.fieldIDs[slot])]
            while f >= 0 {
                let field = x.event.fields[Int(f)]
                if field.trailCount == 0 || consistentWithChosen(Int(f), &x) {
                    let source = field.inEvent ? values.event : values.decoded
                    let value = EventValue(
                        kind: field.kind, bytes: UnsafeBufferPointer(rebasing: source[Int(field.start)..<Int(field.end)]),
                        number: field.number)
                    let first = x.targets.count
                    x.stamp &+= 1
                    if x.stamp == 0 {  // wrapped: clear so old stamps cannot collide
                        x.targetStamp.reset(count: x.targetStamp.count, to: 0)
                        x.stamp = 1
                    }
                    let stamp = x.stamp
                    state.transitions[slot].forEachTarget(value) { t in
                        if x.targetStamp[Int(t)] == stamp { return }
                        x.targetStamp[Int(t)] = stamp
                        x.targets.append(t)
                    }
                    if x.targets.count > first {
                        x.chosen.append(f)
                        var k = first
                        while k < x.targets.count {
                            let t = Int(x.targets[k])
                            if acceptance[t].isLeaf {
                                accept(t, &x)
                            } else {
                                visit(Int32(t), &x, values)
                            }
                            k += 1
                        }
                        x.chosen.removeLast()
                        x.targets.removeLast(x.targets.count - first)
                    }
                }
                f = x.event.nextSameID[Int(f)]
            }
        }
        for k in state.absentFieldIDs.indices where x.event.firstByID[Int(state.absentFieldIDs[k])] < 0 {
            for t in state.absentTargets[k] { visit(t, &x, values) }
        }
    }

    /// Records the names state `s` accepts (each once per match).
    @inline(__always)
    private func accept(_ s: Int, _ x: inout MatchBuffers) {
        let record = acceptance[s]
        var a = Int(record.start)
        let end = Int(record.end)
        while a < end {
            let name = acceptNames[a]
            if x.nameSeen[Int(name)] != x.epoch {
                x.nameSeen[Int(name)] = x.epoch
                x.matched.append(name)
            }
            a += 1
        }
    }

    @inline(__always)
    private func consistentWithChosen(_ f: Int, _ x: inout MatchBuffers) -> Bool {
        for c in x.chosen.buffer where !x.event.consistent(Int(c), f) { return false }
        return true
    }
}
