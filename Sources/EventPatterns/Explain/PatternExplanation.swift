/// Why a pattern matches an event, or why not: a value to inspect, with a stable text form
/// (`description`) that `eventflow test-pattern --explain` prints.
///
/// A pattern with `$or` is several alternatives (each a conjunction of field conditions); the
/// pattern matches when one alternative does. For each alternative the explanation holds every
/// field it names with the event's values there, and either the value chosen for each field
/// (when the alternative matches) or the first failure.
public struct PatternExplanation: Sendable, Hashable, CustomStringConvertible {
    /// Whether the pattern matches (always `pattern.matches(event:)`).
    public var matched: Bool { alternatives.contains(where: \.matched) }
    /// The pattern's alternatives, in the order `$or` expands them (one without `$or`).
    public var alternatives: [Alternative]

    public init(alternatives: [Alternative]) { self.alternatives = alternatives }

    /// One way for the pattern to match: every field must hold, with values that agree on the
    /// elements of any array of objects they come from.
    public struct Alternative: Sendable, Hashable {
        /// The fields the alternative names, sorted by path.
        public var fields: [Field]
        /// Why the alternative does not match; nil when it does.
        public var failure: Failure?
        public var matched: Bool { failure == nil }

        public init(fields: [Field], failure: Failure?) {
            self.fields = fields
            self.failure = failure
        }
    }

    /// One field of an alternative.
    public struct Field: Sendable, Hashable {
        /// The field as a JSON path, such as `$.detail.state`.
        public var path: String
        /// The alternatives the pattern allows there (OR).
        public var conditions: [Condition]
        /// Every value the event has at the path (empty: absent).
        public var values: [Value]
        /// The values that satisfy some condition on their own, each with the first condition
        /// it satisfies.
        public var candidates: [Match]
        /// In a matching alternative: the value chosen for this field and its condition (the
        /// value is nil when the field holds by being absent).
        public var match: Match?

        public init(path: String, conditions: [Condition], values: [Value], candidates: [Match], match: Match?) {
            self.path = path
            self.conditions = conditions
            self.values = values
            self.candidates = candidates
            self.match = match
        }
    }

    /// A value of the event: where it is and its JSON text.
    public struct Value: Sendable, Hashable, CustomStringConvertible {
        /// Its JSON path in the event, with array indexes: `$.detail.items[1].sku`.
        public var location: String
        /// Its JSON text: `"stopped"`, `300.0`, `null`.
        public var json: String

        public init(location: String, json: String) {
            self.location = location
            self.json = json
        }

        public var description: String { json }
    }

    /// One alternative of a field's value list: the operator and its operand.
    public struct Condition: Sendable, Hashable, CustomStringConvertible {
        /// The operator as the pattern names it (`prefix`, `anything-but prefix`,
        /// `prefix equals-ignore-case`, `numeric`, `exists`, ...), or `exact` for a plain value.
        public var kind: String
        /// The operand as JSON: `"init"`, `[">", 0, "<=", 5]`, `false`, `["a", "b"]`.
        public var operand: String

        public init(kind: String, operand: String) {
            self.kind = kind
            self.operand = operand
        }

        /// `prefix "init"`, `numeric [">", 0, "<=", 5]`, `exists false`; a plain value alone.
        public var description: String { kind == "exact" ? operand : kind + " " + operand }
    }

    /// A value and the condition it satisfies.
    public struct Match: Sendable, Hashable {
        /// Nil when the condition is `exists false`, satisfied by there being no value.
        public var value: Value?
        public var condition: Condition

        public init(value: Value?, condition: Condition) {
            self.value = value
            self.condition = condition
        }
    }

    /// Why an alternative does not match.
    public enum Failure: Sendable, Hashable {
        /// The first field (an index into `fields`) with no value satisfying any condition.
        case noValueMatches(field: Int)
        /// Every field holds on its own, but the fields at these indexes are only satisfied by
        /// values in different elements of one array (they must come from the same element).
        case arrayConsistency(fields: [Int])
    }
}
