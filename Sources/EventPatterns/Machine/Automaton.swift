/// All rules of a matcher merged into one automaton over fields.
///
/// A rule (one conjunction of a pattern) is a chain of transitions, one per field it names, in
/// path order. Chains share their start and every step where they ask the same thing of the same
/// field, so thousands of rules that begin alike cost one transition, and rules that share a
/// first value (a weakness of quamina's design) share the state behind it. Each state keeps one
/// `ValueIndex` per field it can move on.
final class Automaton: Sendable {
    struct State {
        /// Field ids this state can move on, each with its value index.
        var fieldIDs: [Int32] = []
        var transitions: [ValueTables] = []
        /// `exists: false` moves: taken when the event has no value at that field.
        var absentFieldIDs: [Int32] = []
        var absentTargets: [[Int32]] = []
        /// Rule names (ids) matched on reaching this state.
        var accepts: [Int32] = []
        /// The fields any path onward from this state reads (`fieldBit`).
        var downstreamFields: UInt64 = 0
    }

    /// One bit per field id, the last bit shared by ids 63 and up: a set of fields small enough
    /// to test per visit, and conservative (a shared bit can only claim too much).
    @inline(__always)
    static func fieldBit(_ id: Int32) -> UInt64 { 1 << UInt64(min(Int(id), 63)) }

    /// States as classes, so visiting one during a match copies nothing.
    final class FrozenState: Sendable {
        let fieldIDs: [Int32]
        let transitions: [ValueIndex]
        let absentFieldIDs: [Int32]
        let absentTargets: [[Int32]]
        /// Per transition: when every state it leads to only accepts, how many distinct names
        /// those states accept (once a match has accepted them all, the field's further values
        /// can add nothing); 0 when some target moves on.
        let saturation: [Int32]
        init(_ s: State, saturation: [Int32]) {
            fieldIDs = s.fieldIDs
            transitions = s.transitions.map(ValueIndex.init)
            absentFieldIDs = s.absentFieldIDs
            absentTargets = s.absentTargets
            self.saturation = saturation
        }
    }

    let states: [FrozenState]
    let trie: PathTrie
    let names: [String]
    /// Sort key per name id: the names in ascending byte order.
    let nameRank: [Int32]
    /// Reusable per-match buffers, so steady-state matching allocates only its result.
    let scratchPool = ScratchPool()

    /// Per state: whether it only accepts (no further fields) and which names it accepts, in
    /// one record (one cache line touched per state reached), with every state's name ids in
    /// one flat list (`acceptNames[start..<end]`): reaching a leaf costs no call and no
    /// reference counting.
    struct Acceptance {
        var start: Int32
        var end: Int32
        /// The first accepted name (the only one, usually), or -1.
        var firstName: Int32
        var isLeaf: Bool
    }
    let acceptance: [Acceptance]
    let acceptNames: [Int32]
    /// Per state: the fields any path onward from it reads. When none of them sits in an array,
    /// which array elements were chosen so far cannot change what the state leads to.
    let downstreamFields: [UInt64]

    init(states: [State], trie: PathTrie, names: [String]) {
        // Leaves (most states: one per rule) move nowhere, so they share one empty state; what
        // they accept is in `acceptance`.
        let leaf = FrozenState(State(), saturation: [])
        let isLeaf = states.map { $0.fieldIDs.isEmpty && $0.absentFieldIDs.isEmpty }
        self.states = states.indices.map { i in
            let s = states[i]
            if isLeaf[i] { return leaf }
            let saturation = s.transitions.map { tables -> Int32 in
                guard tables.targets.allSatisfy({ isLeaf[Int($0)] }) else { return 0 }
                var names = Set<Int32>()
                for t in tables.targets { names.formUnion(states[Int(t)].accepts) }
                return Int32(names.count)
            }
            return FrozenState(s, saturation: saturation)
        }
        var records: [Acceptance] = []
        var all: [Int32] = []
        for (s, leafState) in zip(states, isLeaf) {
            let start = Int32(all.count)
            all += s.accepts
            records.append(Acceptance(start: start, end: Int32(all.count), firstName: s.accepts.first ?? -1, isLeaf: leafState))
        }
        acceptance = records
        acceptNames = all
        downstreamFields = states.map(\.downstreamFields)
        var trie = trie
        trie.seal()
        self.trie = trie
        self.names = names
        let order = names.indices.sorted { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }
        var rank = [Int32](repeating: 0, count: names.count)
        for (r, i) in order.enumerated() { rank[i] = Int32(r) }
        self.nameRank = rank
    }

    /// Builds the automaton for `rules`: (name, conjunctions) pairs, several per name allowed.
    static func build(_ rules: [(name: String, conjunctions: [Conjunction])]) -> Automaton {
        var trie = PathTrie()
        var states = [State()]
        var nameIDs: [String: Int32] = [:]
        var names: [String] = []
        struct ShareKey: Hashable {
            var state: Int32
            var field: FieldCondition
        }
        var shared: [ShareKey: Int32] = [:]
        var indexSlot: [Int64: Int] = [:]  // (state, field id) → transition slot

        for rule in rules {
            let nameID: Int32
            if let id = nameIDs[rule.name] {
                nameID = id
            } else {
                nameID = Int32(names.count)
                nameIDs[rule.name] = nameID
                names.append(rule.name)
            }
            for conjunction in rule.conjunctions {
                var s: Int32 = 0
                // The states along this rule and the field each one moves on.
                var path: [(state: Int32, field: Int32)] = []
                for field in selectiveFirst(conjunction.fields) {
                    path.append((s, trie.intern(field.path)))
                    let key = ShareKey(state: s, field: field)
                    if let next = shared[key] {
                        s = next
                        continue
                    }
                    let next = Int32(states.count)
                    states.append(State())
                    let fieldID = trie.intern(field.path)
                    for alternative in field.alternatives {
                        if case .exists(false) = alternative {
                            if let k = states[Int(s)].absentFieldIDs.firstIndex(of: fieldID) {
                                states[Int(s)].absentTargets[k].append(next)
                            } else {
                                states[Int(s)].absentFieldIDs.append(fieldID)
                                states[Int(s)].absentTargets.append([next])
                            }
                            continue
                        }
                        let slotKey = Int64(s) << 32 | Int64(fieldID)
                        let slot: Int
                        if let existing = indexSlot[slotKey] {
                            slot = existing
                        } else {
                            slot = states[Int(s)].transitions.count
                            states[Int(s)].fieldIDs.append(fieldID)
                            states[Int(s)].transitions.append(ValueTables())
                            indexSlot[slotKey] = slot
                        }
                        states[Int(s)].transitions[slot].insert(alternative, target: next)
                    }
                    shared[key] = next
                    s = next
                }
                if !states[Int(s)].accepts.contains(nameID) { states[Int(s)].accepts.append(nameID) }
                var onward: UInt64 = 0
                for step in path.reversed() {
                    onward |= fieldBit(step.field)
                    states[Int(step.state)].downstreamFields |= onward
                }
            }
        }
        for i in states.indices {
            // Keep transitions sorted by field id for binary search.
            let order = states[i].fieldIDs.indices.sorted { states[i].fieldIDs[$0] < states[i].fieldIDs[$1] }
            states[i].fieldIDs = order.map { states[i].fieldIDs[$0] }
            states[i].transitions = order.map { states[i].transitions[$0] }
        }
        return Automaton(states: states, trie: trie, names: names)
    }

    /// A conjunction's fields in the order its chain asks them: the most selective first (exact
    /// values, then affixes and case-folded values, then ranges and patterns, then conditions
    /// most values satisfy), path order among equals. Matching reads fields by id, so any
    /// order gives the same answer, but a broad first step (a numeric range, anything-but)
    /// reached by most values would send each of them on to the rest of the chain: values ×
    /// rules where an exact first step costs one lookup a value.
    ///
    /// Not with `exists: false`: inside arrays, absence is judged against the fields chosen
    /// before it in path order (event-ruler's semantics), so those chains keep path order.
    static func selectiveFirst(_ fields: [FieldCondition]) -> [FieldCondition] {
        if fields.contains(where: { $0.alternatives.contains(.exists(false)) }) { return fields }
        func rank(_ c: ValueCondition) -> Int {
            switch c {
            case .exactString, .exactNumber: return 0
            case .wildcard(let w) where !w.hasStar: return 0
            case .prefix, .suffix, .equalsIgnoreCase, .prefixIgnoreCase, .suffixIgnoreCase, .cidr: return 1
            case .wildcard(let w) where !w.literalPrefix.isEmpty || !w.literalSuffix.isEmpty: return 1
            case .numeric, .regex, .wildcard: return 2
            case .literal, .anythingBut: return 3
            case .exists(true): return 4
            case .exists(false): return 5
            }
        }
        // A field's breadth is its broadest alternative's.
        let ranked = fields.enumerated().map { (i, f) in (rank: f.alternatives.map(rank).max() ?? 0, index: i, field: f) }
        return ranked.sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }.map(\.field)
    }
}
