import CPCRE2
import Synchronization

/// A PCRE2 pattern that matches a whole value (anchored at both ends).
///
/// Two matchers, chosen per pattern when it is compiled:
/// - Patterns without nested repeats (`hasNestedQuantifier`), backreferences, atomic groups,
///   possessive quantifiers, backtracking verbs, conditionals or recursion ("one-pass" patterns) are decided by PCRE2's DFA matcher
///   (`pcre2_dfa_match`), which reads the subject once and never backtracks: its cost is the
///   subject's length times the paths alive at once (bounded by its workspace, see
///   `RegexBudget.dfaWorkspace`), so a one-pass pattern is decided on any value. The JIT is tried first with a step grant proportional to the value (fast on short
///   values); when the grant or the JIT stack runs out, the DFA matcher decides.
/// - The others backtrack (`pcre2_match`, JIT): each value gets step grants that grow eightfold
///   from 1,000 up to `matchLimit`, each charged in full to the event's budget, so the charge
///   bounds the work done.
///
/// Every regex evaluation of one event draws on one `RegexBudget` (`RegexBudget.eventSteps`,
/// DFA runs charged per subject byte). An evaluation the budget cannot pay for, or one
/// that needs more than `matchLimit` steps or `heapLimitKiB` of heap, is undecided: the
/// condition does not match (neither `regex` nor `anything-but` `regex`) and
/// `limitExceededCount` grows. The compiled code is read-only after `init`, so one instance is
/// safely shared across tasks.
public final class PCRE2Regex: Hashable, @unchecked Sendable {
    public let pattern: String
    public let caseless: Bool
    /// A literal every matching value contains (`requiredLiteral(_:caseless:)`), if one is known.
    let requiredLiteral: [UInt8]?
    private let code: OpaquePointer
    /// Whether the DFA matcher decides this pattern (see the type's documentation).
    public var isOnePass: Bool { onePass.load(ordering: .relaxed) }
    private let onePass: Atomic<Bool>

    /// The most backtracking steps one value may take.
    public static let matchLimit: UInt32 = 1_000_000
    public static let heapLimitKiB: UInt32 = 20_000

    private static let limitHits = Atomic<Int>(0)
    /// How many regex evaluations were left undecided by the limits since the process started.
    public static var limitExceededCount: Int { limitHits.load(ordering: .relaxed) }

    /// The error PCRE2 reports for a pattern it cannot compile.
    public struct CompileError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "Invalid regular expression at offset \(offset): \(message)" }
    }

    public init(_ pattern: String, caseless: Bool = false) throws(CompileError) {
        self.pattern = pattern
        self.caseless = caseless
        self.requiredLiteral = Self.requiredLiteral(pattern, caseless: caseless)
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        var options = UInt32(PCRE2_UTF) | UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED)
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        let compiled = pattern.withCString { cstr in
            cstr.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count + 1) { ptr in
                pcre2_compile_8(ptr, pattern.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
            let message = n > 0 ? String(decoding: buffer[..<Int(n)], as: UTF8.self) : "error \(errorCode)"
            throw CompileError(message: message, offset: errorOffset)
        }
        // JIT is an optimisation: when it is unavailable the interpreter runs with the same limits.
        _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))
        self.code = compiled
        var backrefs: UInt32 = 0
        _ = pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_BACKREFMAX), &backrefs)
        onePass = Atomic(backrefs == 0 && !Self.mayNeedBacktracking(pattern) && !Self.hasNestedQuantifier(pattern))
    }

    deinit { pcre2_code_free_8(code) }

    /// Constructs whose meaning the DFA matcher does not share with Perl's (it keeps every
    /// path where backtracking commits to the first), found by their spelling; a false alarm
    /// only means the pattern is matched by backtracking, under the budget.
    static func mayNeedBacktracking(_ pattern: String) -> Bool {
        let b = Array(pattern.utf8)
        for i in b.indices.dropLast() {
            let next = b[i + 1]
            switch b[i] {
            case UInt8(ascii: "("):
                // (*VERB), (?>atomic), (?(condition), (?R) (?1) (?-1) (?+1) (?&name) (?P>name)
                if next == UInt8(ascii: "*") { return true }
                if next == UInt8(ascii: "?"), i + 2 < b.count {
                    let c = b[i + 2]
                    if c == UInt8(ascii: ">") || c == UInt8(ascii: "(") || c == UInt8(ascii: "R") || c == UInt8(ascii: "&")
                        || c == UInt8(ascii: "P") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
                        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                    {
                        return true
                    }
                }
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "}"):
                if next == UInt8(ascii: "+") { return true }  // possessive
            default: break
            }
        }
        return false
    }

    /// Whether a repeated group contains a repeat (`(a+)+`, `(?:x*y)*`, `(a{2,})*`): the DFA
    /// matcher keeps a path per way of splitting the value among the repeats, so these are
    /// matched by backtracking, under the budget. Found from the spelling (escapes and
    /// character classes skipped); `?` and `{n}` do not count as repeats.
    static func hasNestedQuantifier(_ pattern: String) -> Bool {
        let b = Array(pattern.utf8)
        var groupHasRepeat: [Bool] = []  // one per open group
        var closedHadRepeat = false  // the group that just closed contained a repeat
        var i = 0
        func repeatAt(_ i: Int) -> Bool {
            guard i < b.count else { return false }
            switch b[i] {
            case UInt8(ascii: "*"), UInt8(ascii: "+"): return true
            case UInt8(ascii: "{"):
                // {n,} and {n,m} repeat; {n} does not.
                var j = i + 1
                while j < b.count && b[j] >= UInt8(ascii: "0") && b[j] <= UInt8(ascii: "9") { j += 1 }
                return j > i + 1 && j < b.count && b[j] == UInt8(ascii: ",")
            default: return false
            }
        }
        while i < b.count {
            let c = b[i]
            var atomEnd = false
            switch c {
            case UInt8(ascii: "\\"):
                i += 2
                atomEnd = true
                closedHadRepeat = false
            case UInt8(ascii: "["):
                // A class: skip to its closing bracket (a leading ] or ^] is literal).
                var j = i + 1
                if j < b.count && b[j] == UInt8(ascii: "^") { j += 1 }
                if j < b.count && b[j] == UInt8(ascii: "]") { j += 1 }
                while j < b.count && b[j] != UInt8(ascii: "]") { j += b[j] == UInt8(ascii: "\\") ? 2 : 1 }
                i = j + 1
                atomEnd = true
                closedHadRepeat = false
            case UInt8(ascii: "("):
                groupHasRepeat.append(false)
                i += 1
                if i < b.count && b[i] == UInt8(ascii: "?") { i += 1 }  // (?: (?i) (?= …: not a quantifier
                continue
            case UInt8(ascii: ")"):
                closedHadRepeat = groupHasRepeat.popLast() ?? false
                i += 1
                atomEnd = true
            default:
                i += 1
                atomEnd = true
                closedHadRepeat = false
            }
            if atomEnd && repeatAt(i) {
                if closedHadRepeat { return true }
                if !groupHasRepeat.isEmpty { groupHasRepeat[groupHasRepeat.count - 1] = true }
            }
            // A repeat inside a group marks it even when it follows a nested group.
            if c == UInt8(ascii: ")") && closedHadRepeat && !groupHasRepeat.isEmpty {
                groupHasRepeat[groupHasRepeat.count - 1] = true
            }
        }
        return false
    }

    /// Whether the whole of `subject` (valid UTF-8) matches, as one event's only regex work:
    /// false when undecided.
    public func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        var budget = RegexBudget()
        defer { budget.free() }
        return evaluate(subject, budget: &budget) == true
    }

    public func matches(_ subject: String) -> Bool {
        var s = subject
        return s.withUTF8 { matches($0) }
    }

    /// Whether the whole of `subject` matches, paid for from `budget`; nil when undecided (the
    /// limits were reached; counted in `limitExceededCount`).
    func evaluate(_ subject: UnsafeBufferPointer<UInt8>, budget: inout RegexBudget) -> Bool? {
        let result = isOnePass ? evaluateOnePass(subject, &budget) : evaluateBacktracking(subject, &budget)
        if result == nil {
            budget.undecided += 1
            PCRE2Regex.limitHits.add(1, ordering: .relaxed)
        }
        return result
    }

    private enum Outcome { case match, noMatch, outOfSteps, outOfJITStack, failed }

    private func run(_ subject: UnsafeBufferPointer<UInt8>, steps: Int, jit: Bool, _ budget: inout RegexBudget) -> Outcome {
        budget.charge(steps)
        budget.backtrackingRuns += 1
        let (context, data) = budget.matchState(steps: UInt32(min(steps, Int(UInt32.max))))
        let base = subject.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!
        var options = UInt32(PCRE2_NO_UTF_CHECK)
        if !jit { options |= UInt32(PCRE2_NO_JIT) }
        let rc = pcre2_match_8(code, base, subject.count, 0, options, data, context)
        switch rc {
        case 0...: return .match
        case PCRE2_ERROR_NOMATCH: return .noMatch
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT: return .outOfSteps
        case PCRE2_ERROR_JIT_STACKLIMIT: return .outOfJITStack
        default: return .failed
        }
    }

    private func evaluateOnePass(_ subject: UnsafeBufferPointer<UInt8>, _ budget: inout RegexBudget) -> Bool? {
        // The JIT first, on a grant proportional to the value: enough for any simple pattern.
        let grant = 1_000 + 4 * subject.count
        if budget.remaining >= grant {
            switch run(subject, steps: grant, jit: true, &budget) {
            case .match: return true
            case .noMatch: return false
            default: break
            }
        }
        switch budget.dfaMatch(code, subject) {
        case .match: return true
        case .noMatch: return false
        case .unsupported:
            // An item the DFA matcher does not implement: backtrack from now on.
            onePass.store(false, ordering: .relaxed)
            return evaluateBacktracking(subject, &budget)
        default: return nil
        }
    }

    private func evaluateBacktracking(_ subject: UnsafeBufferPointer<UInt8>, _ budget: inout RegexBudget) -> Bool? {
        var grant = 1_000
        while true {
            let steps = min(grant, Int(PCRE2Regex.matchLimit))
            guard budget.remaining >= steps else { return nil }
            var outcome = run(subject, steps: steps, jit: true, &budget)
            if outcome == .outOfJITStack {
                // The JIT's own (32 KiB) stack ran out: the interpreter keeps its frames on the
                // heap (up to `heapLimitKiB`).
                guard budget.remaining >= steps else { return nil }
                outcome = run(subject, steps: steps, jit: false, &budget)
            }
            switch outcome {
            case .match: return true
            case .noMatch: return false
            case .outOfSteps where steps < Int(PCRE2Regex.matchLimit): grant *= 8
            default: return nil
            }
        }
    }

    fileprivate enum DFAOutcome { case match, noMatch, unsupported, failed }

    public static func == (a: PCRE2Regex, b: PCRE2Regex) -> Bool { a.pattern == b.pattern && a.caseless == b.caseless }
    public func hash(into h: inout Hasher) {
        h.combine(pattern)
        h.combine(caseless)
    }
}

/// The regex work one event may do, and what it did: every regex evaluation of the event
/// draws on it (see `PCRE2Regex`). Holds PCRE2's match state, reused across evaluations;
/// `free()` releases it.
struct RegexBudget {
    /// Steps (backtracking steps granted, plus one per byte a DFA run reads) per event.
    static let eventSteps = 20_000_000
    private(set) var remaining = eventSteps
    /// This event's evaluations: left undecided, DFA runs, backtracking runs.
    var undecided = 0
    var dfaRuns = 0
    var backtrackingRuns = 0
    var charged: Int { RegexBudget.eventSteps - remaining }
    var work: RegexWork { RegexWork(charged: charged, undecided: undecided, dfaRuns: dfaRuns, backtrackingRuns: backtrackingRuns) }

    private var context: OpaquePointer?
    private var data: OpaquePointer?
    private var workspace: UnsafeMutablePointer<Int32>?
    private var workspaceCount = 0

    mutating func reset() {
        remaining = RegexBudget.eventSteps
        undecided = 0
        dfaRuns = 0
        backtrackingRuns = 0
    }

    mutating func charge(_ steps: Int) { remaining -= steps }

    /// A match context limited to `steps` (and the heap limit), and match data.
    mutating func matchState(steps: UInt32) -> (OpaquePointer?, OpaquePointer?) {
        if context == nil {
            context = pcre2_match_context_create_8(nil)
            pcre2_set_heap_limit_8(context, PCRE2Regex.heapLimitKiB)
            data = pcre2_match_data_create_8(1, nil)
        }
        pcre2_set_match_limit_8(context, steps)
        pcre2_set_depth_limit_8(context, steps)
        return (context, data)
    }

    /// The smallest and largest DFA workspace (ints). A DFA run's cost per subject byte grows
    /// with the paths alive at once, which the workspace holds: a run on the first workspace is
    /// charged one step per byte, on the largest sixteen.
    static let dfaWorkspace = (first: 1_024, most: 4_096)

    /// One DFA decision, charged to the budget; the workspace grows (fourfold, each run
    /// charged) while the paths alive at once do not fit. Nested quantifiers (`(a+)+`) keep a
    /// path per way of splitting the value so far, so on long values they outgrow the largest
    /// workspace and are left undecided.
    fileprivate mutating func dfaMatch(_ code: OpaquePointer, _ subject: UnsafeBufferPointer<UInt8>) -> PCRE2Regex.DFAOutcome {
        let (context, data) = matchState(steps: PCRE2Regex.matchLimit)
        let base = subject.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!
        var size = RegexBudget.dfaWorkspace.first
        while true {
            let factor = size / RegexBudget.dfaWorkspace.first
            let cost = (subject.count + 1) * factor * factor
            guard remaining >= cost else { return .failed }
            charge(cost)
            dfaRuns += 1
            if workspaceCount < size {
                workspace?.deallocate()
                workspace = .allocate(capacity: size)
                workspaceCount = size
            }
            let rc = pcre2_dfa_match_8(code, base, subject.count, 0, UInt32(PCRE2_NO_UTF_CHECK), data, context, workspace, size)
            switch rc {
            case 0...:
                // The DFA matcher does not honour PCRE2_ENDANCHORED: its longest match (the
                // first reported) must reach the end.
                return pcre2_get_ovector_pointer_8(data)[1] == subject.count ? .match : .noMatch
            case PCRE2_ERROR_NOMATCH, PCRE2_ERROR_PARTIAL: return .noMatch
            case PCRE2_ERROR_DFA_UITEM, PCRE2_ERROR_DFA_UCOND, PCRE2_ERROR_DFA_UFUNC, PCRE2_ERROR_DFA_UINVALID_UTF:
                return .unsupported
            case PCRE2_ERROR_DFA_WSSIZE where size < RegexBudget.dfaWorkspace.most:
                size *= 4
            default: return .failed
            }
        }
    }

    mutating func free() {
        if let context { pcre2_match_context_free_8(context) }
        if let data { pcre2_match_data_free_8(data) }
        workspace?.deallocate()
        context = nil
        data = nil
        workspace = nil
    }
}

/// What one match did (for tests and diagnostics): automaton states visited, event fields
/// examined as candidates for a state's fields, and the regex work.
struct MatchWork {
    var statesVisited: Int
    var candidatesExamined: Int
    var regex: RegexWork
}

/// What one event's regex evaluations cost (for tests and diagnostics).
struct RegexWork: Equatable {
    var charged: Int
    var undecided: Int
    var dfaRuns: Int
    var backtrackingRuns: Int
}

typealias RegexMatcher = PCRE2Regex
