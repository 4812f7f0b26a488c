/// Explains one conjunction at a time over an event's leaves, the simple way: for each field
/// the values that satisfy a condition on their own, then a search for one value per field
/// that agree on array elements.
struct Explainer {
    let leaves: [EventLeaf]

    init(event: JSONValue) { leaves = EventLeaf.leaves(of: event) }

    func explain(_ conjunctions: [Conjunction]) -> PatternExplanation {
        PatternExplanation(alternatives: conjunctions.map(explain))
    }

    /// A field's values and, for each value that satisfies a condition, the first such
    /// condition.
    private struct FieldFacts {
        var values: [EventLeaf]
        var candidates: [(leaf: EventLeaf, condition: ValueCondition)]
        /// `exists false` is one of the conditions and there is no value.
        var holdsByAbsence: Bool
        /// `exists false` is one of the conditions: it may also hold by absence from the array
        /// elements the earlier fields' values come from.
        var allowsAbsence: Bool
        var holds: Bool { allowsAbsence || !candidates.isEmpty }
    }

    private func facts(_ field: FieldCondition) -> FieldFacts {
        let values = leaves.filter { $0.path == field.path }
        var candidates: [(leaf: EventLeaf, condition: ValueCondition)] = []
        for leaf in values {
            if let condition = field.alternatives.first(where: leaf.satisfies) { candidates.append((leaf, condition)) }
        }
        let allowsAbsence = field.alternatives.contains(.exists(false))
        return FieldFacts(values: values, candidates: candidates, holdsByAbsence: values.isEmpty && allowsAbsence, allowsAbsence: allowsAbsence)
    }

    private func explain(_ conjunction: Conjunction) -> PatternExplanation.Alternative {
        let all = conjunction.fields.map(facts)
        var fields = zip(conjunction.fields, all).map { field, f in
            PatternExplanation.Field(
                path: Self.displayPath(field.path), conditions: field.alternatives.map(\.explained),
                values: f.values.map(\.explained),
                candidates: f.candidates.map { .init(value: $0.leaf.explained, condition: $0.condition.explained) },
                match: nil)
        }
        if let failing = all.firstIndex(where: { !$0.holds }) {
            return .init(fields: fields, failure: .noValueMatches(field: failing))
        }
        switch Self.consistentChoice(all) {
        case .failure(let conflict) where conflict.fields.count < 2:
            // Nothing else to be consistent with: `exists false` on a value that is present.
            return .init(fields: fields, failure: .noValueMatches(field: conflict.fields[conflict.fields.count - 1]))
        case .failure(let conflict):
            return .init(fields: fields, failure: .arrayConsistency(fields: conflict.fields))
        case .success(let chosen):
            for k in fields.indices {
                fields[k].match = chosen[k].map { fields[k].candidates[$0] } ?? .init(value: nil, condition: ValueCondition.exists(false).explained)
            }
            return .init(fields: fields, failure: nil)
        }
    }

    private struct Conflict: Error {
        /// The field at which no consistent choice exists, after the earlier fields whose
        /// values share an array with its values.
        var fields: [Int]
    }

    /// One candidate per field (none for a field that holds by being absent), all agreeing on
    /// array elements: field → candidate index. Fields are added one at a time, so the first
    /// field that cannot be added names the conflict. `exists false` holds by absence when none
    /// of the field's values sits with the values chosen for the earlier fields (array
    /// consistency, as event-ruler scopes it).
    private static func consistentChoice(_ all: [FieldFacts]) -> Result<[Int: Int], Conflict> {
        var chosen: [Int: Int] = [:]
        func agrees(_ leaf: EventLeaf) -> Bool {
            chosen.allSatisfy { all[$0.key].candidates[$0.value].leaf.consistent(with: leaf) }
        }
        func choose(_ k: Int, upTo end: Int) -> Bool {
            if k == end { return true }
            if all[k].holdsByAbsence { return choose(k + 1, upTo: end) }
            if all[k].allowsAbsence && !all[k].values.contains(where: agrees) && choose(k + 1, upTo: end) { return true }
            for (i, c) in all[k].candidates.enumerated() where agrees(c.leaf) {
                chosen[k] = i
                if choose(k + 1, upTo: end) { return true }
                chosen[k] = nil
            }
            return false
        }
        for end in 1..<(all.count + 1) {
            chosen = [:]
            guard choose(0, upTo: end) else {
                let last = end - 1
                // For `exists false`, the values that are present where they must not be.
                let conflicting = all[last].candidates.map(\.leaf) + (all[last].allowsAbsence ? all[last].values : [])
                let arrays = Set(conflicting.flatMap { $0.trail.map(\.array) })
                let earlier = (0..<last).filter { k in
                    all[k].candidates.contains { c in c.leaf.trail.contains { arrays.contains($0.array) } }
                }
                return .failure(Conflict(fields: earlier + [last]))
            }
        }
        return .success(chosen)
    }

    /// `detail.state` → `$.detail.state` (awkward names quoted).
    static func displayPath(_ path: String) -> String {
        path.split(separator: ".", omittingEmptySubsequences: false).reduce("$") { JSONPath.member($0, String($1)) }
    }
}
