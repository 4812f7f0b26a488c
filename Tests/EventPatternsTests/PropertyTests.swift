import EventPatterns
import Testing

@Suite("Compiled matcher vs reference")
struct PropertyTests {
    /// 10,000 single rule/event pairs: every operator, arrays, dotted keys, `$or`.
    @Test("single rules agree with the PCRE2 reference", arguments: [UInt64(1), 2, 3, 4])
    func singleRules(seed: UInt64) throws {
        var gen = RandomPatterns(rng: SplitMix64(seed: seed))
        for i in 0..<2_500 {
            let rule = gen.rule()
            let event = gen.event()
            let pattern = try EventPattern(json: rule)
            let matcher = EventMatcher()
            matcher.addRule("r", pattern: pattern)
            let compiled = try matcher.matches(eventJSON: event.jsonText) == ["r"]
            let reference = ReferenceMatcher.matches(pattern: rule, event: event)
            #expect(compiled == reference, "seed \(seed) #\(i)\nrule: \(rule.jsonText)\nevent: \(event.jsonText)")
            if compiled != reference { return }
        }
    }

    /// 40 rules in one matcher against each event: the merged automaton must answer for each
    /// rule exactly as the reference does (500 events × 40 rules = 20,000 pairs).
    @Test("many rules in one automaton agree with the reference")
    func mergedRules() throws {
        var gen = RandomPatterns(rng: SplitMix64(seed: 99))
        for round in 0..<25 {
            let rules = (0..<40).map { _ in gen.rule() }
            let matcher = EventMatcher()
            let fast = EventMatcher(scanning: .stopEarly)
            for (i, r) in rules.enumerated() {
                try matcher.addRule("r\(i)", pattern: r)
                try fast.addRule("r\(i)", pattern: r)
            }
            for _ in 0..<20 {
                let event = gen.event()
                let expected = rules.indices.filter { ReferenceMatcher.matches(pattern: rules[$0], event: event) }
                    .map { "r\($0)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                let got = try matcher.matches(eventJSON: event.jsonText)
                #expect(got == expected, "round \(round)\nevent: \(event.jsonText)")
                #expect(try fast.matches(eventJSON: event.jsonText) == expected, "stopEarly, round \(round)")
                if got != expected {
                    for name in Set(got).symmetricDifference(expected) {
                        print("disagreement on \(name): \(rules[Int(name.dropFirst())!].jsonText)")
                    }
                    return
                }
            }
        }
    }
}

@Suite("Explanations agree with matching")
struct ExplainPropertyTests {
    /// 8,000 random rule/event pairs (every operator, arrays of objects, dotted keys, `$or`):
    /// the explanation's verdict is `matches(event:)`, a matching alternative gives every field a
    /// value that satisfies it, and a failure names a field of the alternative.
    @Test("explain(event).matched == matches(event:)", arguments: [UInt64(11), 12, 13, 14])
    func agrees(seed: UInt64) throws {
        var gen = RandomPatterns(rng: SplitMix64(seed: seed))
        var matched = 0
        for i in 0..<2_000 {
            let rule = gen.rule()
            let event = gen.event()
            let pattern = try EventPattern(json: rule)
            let explanation = pattern.explain(event)
            let expected = pattern.matches(event: event)
            #expect(explanation.matched == expected, "seed \(seed) #\(i)\nrule: \(rule.jsonText)\nevent: \(event.jsonText)\n\(explanation)")
            if explanation.matched != expected { return }
            if expected { matched += 1 }
            for alternative in explanation.alternatives {
                switch alternative.failure {
                case nil: #expect(alternative.fields.allSatisfy { $0.match != nil })
                case .noValueMatches(let k): #expect(alternative.fields[k].candidates.isEmpty)
                case .arrayConsistency(let ks):
                    // Each field holds somewhere (a value matches, or `exists false` is satisfied
                    // by absence from some element), never all in one element.
                    let absence = PatternExplanation.Condition(kind: "exists", operand: "false")
                    #expect(ks.count >= 2 && ks.allSatisfy { !alternative.fields[$0].candidates.isEmpty || alternative.fields[$0].conditions.contains(absence) }, "rule: \(rule.jsonText)\nevent: \(event.jsonText)\n\(explanation)")
                }
            }
        }
        // The generator makes both outcomes common, so the test sees both.
        #expect(matched > 200 && matched < 1_800, "\(matched) of 2,000 matched")
    }
}
