/// The text form of explanations.
extension PatternExplanation {
    /// `match` or `no match` on the first line; then, for a match, each field of the matching
    /// alternative with the value and condition that matched; for a non-match, the failure of
    /// each alternative.
    public var description: String {
        var lines: [String] = []
        let count = alternatives.count
        if let first = alternatives.firstIndex(where: \.matched) {
            lines.append(count == 1 ? "match" : "match (alternative \(first + 1) of \(count))")
            lines += alternatives[first].matchLines.map { "  " + $0 }
        } else if count == 1 {
            lines.append("no match")
            lines += alternatives[0].failureLines.map { "  " + $0 }
        } else {
            lines.append("no match (none of \(count) alternatives)")
            for (i, alternative) in alternatives.enumerated() {
                lines.append("  alternative \(i + 1):")
                lines += alternative.failureLines.map { "    " + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension PatternExplanation.Alternative {
    var matchLines: [String] {
        fields.map { field in
            guard let match = field.match else { return "\(field.path): ?" }
            return "\(field.path): \(match.valueText) matched \(match.condition)"
        }
    }

    var failureLines: [String] {
        switch failure {
        case nil: return ["matches"]
        case .noValueMatches(let i):
            let field = fields[i]
            let has = field.values.isEmpty ? "absent" : "has " + field.values.map(\.json).joined(separator: ", ")
            return ["\(field.path): \(has); wanted \(field.conditions.map(\.description).joined(separator: " or "))"]
        case .arrayConsistency(let indexes):
            let involved = indexes.map { fields[$0] }
            var lines = ["\(involved.map(\.path).joined(separator: ", ")): each holds, but never in the same array element"]
            for field in involved {
                for c in field.candidates { lines.append("  \(field.path): \(c.valueText) at \(c.value?.location ?? "?") matched \(c.condition)") }
            }
            return lines
        }
    }
}

extension PatternExplanation.Match {
    var valueText: String { value?.json ?? "absent" }
}
