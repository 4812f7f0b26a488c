/// One alternative in a pattern's value list: what a single event value must satisfy.
enum ValueCondition: Hashable, Sendable {
    /// A string, compared byte for byte after JSON unescaping.
    case exactString([UInt8])
    /// A number, equal by value (when exact) or by text.
    case exactNumber(NumberValue)
    /// `true`, `false` or `null`.
    case literal(Literal)
    case prefix([UInt8])
    case suffix([UInt8])
    case prefixIgnoreCase(FoldedString)
    case suffixIgnoreCase(FoldedString)
    case equalsIgnoreCase(FoldedString)
    case wildcard(Wildcard)
    case anythingBut(AnythingBut)
    case numeric(NumericRange)
    case exists(Bool)
    case cidr(CIDRBlock)
    case regex(RegexMatcher)

    enum Literal: Hashable, Sendable { case `true`, `false`, null }
}

/// The forms of `anything-but`.
enum AnythingBut: Hashable, Sendable {
    case strings([[UInt8]])
    case numbers([NumberValue])
    case prefixes([[UInt8]])
    case suffixes([[UInt8]])
    case equalsIgnoreCase([FoldedString])
    case wildcards([Wildcard])
    case regex(RegexMatcher)
}

/// A `numeric` condition: an interval with optional, open or closed ends.
struct NumericRange: Hashable, Sendable {
    var lower: Double?
    var lowerInclusive = false
    var upper: Double?
    var upperInclusive = false

    func contains(_ x: Double) -> Bool {
        if let lower {
            if lowerInclusive ? !(x >= lower) : !(x > lower) { return false }
        }
        if let upper {
            if upperInclusive ? !(x <= upper) : !(x < upper) { return false }
        }
        return true
    }
}

/// One field of a conjunction: the path and its alternatives (OR).
struct FieldCondition: Hashable, Sendable {
    var path: String
    var alternatives: [ValueCondition]
}

/// One way for a pattern to match: every field condition must hold (AND). A pattern with `$or`
/// expands into several conjunctions.
struct Conjunction: Hashable, Sendable {
    /// Sorted by path, one entry per path.
    var fields: [FieldCondition]
}
