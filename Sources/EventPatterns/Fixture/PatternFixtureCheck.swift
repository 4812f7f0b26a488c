extension PatternFixture {
    /// Whether a case holds, and why not.
    public struct Outcome: Sendable, Hashable, CustomStringConvertible {
        /// Why the case failed; nil when it passed.
        public var failure: String?
        public var passed: Bool { failure == nil }

        public static let pass = Outcome(failure: nil)
        public static func fail(_ reason: String) -> Outcome { Outcome(failure: reason) }

        /// `pass`, or the reason.
        public var description: String { failure ?? "pass" }
    }

    /// Checks the case through the real engine: the pattern (or the rule's patterns, from
    /// `rules`) is validated, then the event's bytes go through an `EventMatcher` in validating
    /// mode, and `EventPattern.matches(event:)` must give the same answer.
    public func check(rules: RuleFile? = nil) -> Outcome {
        let patterns: [EventPattern]
        switch subject {
        case .rule(let rule):
            guard let rules else { return .fail("rule \"\(rule)\" needs a rules file") }
            guard let found = rules.patterns(named: rule) else { return .fail("rule \"\(rule)\" not in rules file") }
            if expect == .invalid { return .fail("expected invalid, got a valid rule") }
            patterns = found
        case .pattern(let json):
            do {
                patterns = [try EventPattern(json: json)]
            } catch {
                return rejected(error)
            }
            if expect == .invalid { return .fail("expected invalid, got a valid pattern") }
        }
        let got: Expectation
        switch Self.engineAnswer(patterns, event) {
        case .success(let matched): got = matched ? .match : .noMatch
        case .failure(let failure): return .fail(failure.reason)
        }
        return got == expect ? .pass : .fail("expected \(expect.rawValue), got \(got.rawValue)")
    }

    private func rejected(_ error: PatternError) -> Outcome {
        guard expect == .invalid else { return .fail(error.description) }
        if let fragment = self.error, !error.reason.contains(fragment) {
            return .fail("expected an error containing \(JSONValue.string(fragment).jsonText), got \(JSONValue.string(error.reason).jsonText)")
        }
        return .pass
    }

    private struct EngineFailure: Error {
        let reason: String
    }

    /// Whether the event matches any of `patterns`, asked of the compiled matcher over the
    /// event's bytes and of `EventPattern.matches(event:)`; a disagreement is a failure.
    private static func engineAnswer(_ patterns: [EventPattern], _ event: JSONValue) -> Result<Bool, EngineFailure> {
        let matcher = EventMatcher(scanning: .validating)
        for p in patterns { matcher.addRule("case", pattern: p) }
        let viaBytes: Bool
        do {
            viaBytes = try !matcher.matches(eventJSON: event.jsonText).isEmpty
        } catch {
            return .failure(EngineFailure(reason: "event rejected: \(error)"))
        }
        let viaTree = patterns.contains { $0.matches(event: event) }
        guard viaBytes == viaTree else {
            return .failure(
                EngineFailure(reason: "engine disagreement: EventMatcher says \(viaBytes), EventPattern.matches(event:) says \(viaTree)"))
        }
        return .success(viaBytes)
    }
}
