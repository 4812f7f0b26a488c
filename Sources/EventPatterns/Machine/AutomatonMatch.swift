/// Running a flattened event through the automaton.
extension Automaton {
    /// The names of the rules that match, sorted ascending by byte order.
    func match(_ event: inout FlatEvent) -> [String] {
        event.index()
        defer { event.clearIndex() }
        var run = Run(automaton: self)
        event.values.withUnsafeBufferPointer { values in
            var chosen: [Int32] = []
            run.visit(0, event: event, values: values, chosen: &chosen)
        }
        return run.matched.sorted { nameRank[Int($0)] < nameRank[Int($1)] }.map { names[Int($0)] }
    }

    struct Run {
        let automaton: Automaton
        var matched: [Int32] = []
        var seenName: Set<Int32> = []
        /// States already explored with no array constraint in force; exploring again finds nothing new.
        var doneUnconstrained: Set<Int32> = []

        mutating func visit(_ s: Int32, event: FlatEvent, values: UnsafeBufferPointer<UInt8>, chosen: inout [Int32]) {
            let unconstrained = chosen.allSatisfy { event.fields[Int($0)].trailCount == 0 }
            if unconstrained && !doneUnconstrained.insert(s).inserted { return }
            let state = automaton.states[Int(s)]
            for name in state.accepts where seenName.insert(name).inserted { matched.append(name) }

            for (slot, fieldID) in state.fieldIDs.enumerated() {
                var f = event.firstByID[Int(fieldID)]
                while f >= 0 {
                    let field = event.fields[Int(f)]
                    if chosen.allSatisfy({ event.consistent(Int($0), Int(f)) }) {
                        let value = EventValue(
                            kind: field.kind,
                            bytes: UnsafeBufferPointer(rebasing: values[Int(field.start)..<Int(field.end)]))
                        var targets: [Int32] = []
                        state.transitions[slot].forEachTarget(value) { t in
                            if !targets.contains(t) { targets.append(t) }
                        }
                        if !targets.isEmpty {
                            chosen.append(f)
                            for t in targets { visit(t, event: event, values: values, chosen: &chosen) }
                            chosen.removeLast()
                        }
                    }
                    f = event.nextSameID[Int(f)]
                }
            }
            for (k, fieldID) in state.absentFieldIDs.enumerated() where event.firstByID[Int(fieldID)] < 0 {
                for t in state.absentTargets[k] { visit(t, event: event, values: values, chosen: &chosen) }
            }
        }
    }
}
