/// Everything one automaton state expects of one field, merged into lookup structures: given an
/// event value it yields the next states in time that depends on the value, not on how many
/// conditions share the field.
///
/// Exact strings and numbers are hash lookups; prefixes and suffixes are byte tries; ignore-case
/// forms are looked up by a case-folded key and then checked exactly; wildcards are indexed by
/// their literal head or tail and then checked; numeric ranges live in an interval tree. Only
/// conditions that no index can narrow (anything-but, cidr, regex, `*x*` wildcards, exists) are
/// checked one by one.
struct ValueIndex: Sendable {
    /// A condition kept for exact checking, and the state it leads to.
    struct Checked: Sendable {
        var condition: ValueCondition
        var target: Int32
    }

    private var strings: [[UInt8]: [Int32]] = [:]
    private var trueTargets: [Int32] = []
    private var falseTargets: [Int32] = []
    private var nullTargets: [Int32] = []
    private var numbers: [Double: [Int32]] = [:]
    private var numberTexts: [String: [Int32]] = [:]
    private var prefixes = ByteTrie()
    private var suffixes = ByteTrie()
    private var numeric = NumericIndex()

    private var checked: [Checked] = []
    /// Indexes into `checked`, narrowed by a raw-byte prefix / suffix of the value.
    private var checkedByPrefix = ByteTrie()
    private var checkedBySuffix = ByteTrie()
    /// Indexes into `checked`, narrowed by the case-folded value.
    private var checkedByFoldedValue: [[UInt8]: [Int32]] = [:]
    private var checkedByFoldedPrefix = ByteTrie()
    private var checkedByFoldedSuffix = ByteTrie()
    /// Indexes into `checked` tried against every value.
    private var checkedAlways: [Int32] = []
    private var needsFolding = false

    mutating func insert(_ condition: ValueCondition, target: Int32) {
        switch condition {
        case .exactString(let s): strings[s, default: []].append(target)
        case .exactNumber(let n):
            if let d = n.double { numbers[d, default: []].append(target) } else { numberTexts[n.text, default: []].append(target) }
        case .literal(.true): trueTargets.append(target)
        case .literal(.false): falseTargets.append(target)
        case .literal(.null): nullTargets.append(target)
        case .prefix(let p): prefixes.insert(p, target)
        case .suffix(let s): suffixes.insert(s.reversed(), target)
        case .numeric(let r): numeric.insert(r, target: target)
        case .wildcard(let w) where !w.hasStar: strings[w.segments[0], default: []].append(target)
        case .wildcard(let w) where !w.literalPrefix.isEmpty: checkedByPrefix.insert(w.literalPrefix, check(condition, target))
        case .wildcard(let w) where !w.literalSuffix.isEmpty:
            checkedBySuffix.insert(w.literalSuffix.reversed(), check(condition, target))
        case .equalsIgnoreCase(let f):
            needsFolding = true
            checkedByFoldedValue[f.key, default: []].append(check(condition, target))
        case .prefixIgnoreCase(let f):
            needsFolding = true
            checkedByFoldedPrefix.insert(f.key, check(condition, target))
        case .suffixIgnoreCase(let f):
            needsFolding = true
            checkedByFoldedSuffix.insert(f.key.reversed(), check(condition, target))
        default:
            checkedAlways.append(check(condition, target))
        }
    }

    private mutating func check(_ condition: ValueCondition, _ target: Int32) -> Int32 {
        checked.append(Checked(condition: condition, target: target))
        return Int32(checked.count - 1)
    }

    mutating func seal() { numeric.seal() }

    /// Appends the targets of every condition that `v` satisfies (possibly with repeats).
    func forEachTarget(_ v: EventValue, _ body: (Int32) -> Void) {
        switch v.kind {
        case .string:
            if !strings.isEmpty, let t = strings[Array(v.bytes)] { t.forEach(body) }
            prefixes.forEachPrefix(of: v.bytes, body)
            suffixes.forEachPrefix(of: v.bytes.reversed(), body)
            let verify: (Int32) -> Void = { i in
                let c = checked[Int(i)]
                if c.condition.matches(v) { body(c.target) }
            }
            checkedByPrefix.forEachPrefix(of: v.bytes, verify)
            checkedBySuffix.forEachPrefix(of: v.bytes.reversed(), verify)
            if needsFolding {
                let key = FoldedString.foldKey(Array(v.bytes))
                checkedByFoldedValue[key]?.forEach(verify)
                checkedByFoldedPrefix.forEachPrefix(of: key, verify)
                checkedByFoldedSuffix.forEachPrefix(of: key.reversed(), verify)
            }
            checkedAlways.forEach(verify)
        case .number:
            let n = v.number!
            if let d = n.double {
                numbers[d]?.forEach(body)
                numeric.forEachContaining(d, body)
            }
            numberTexts[n.text]?.forEach(body)
            for i in checkedAlways {
                let c = checked[Int(i)]
                if c.condition.matches(v) { body(c.target) }
            }
        case .true, .false, .null:
            (v.kind == .true ? trueTargets : v.kind == .false ? falseTargets : nullTargets).forEach(body)
            for i in checkedAlways {
                let c = checked[Int(i)]
                if c.condition.matches(v) { body(c.target) }
            }
        }
    }
}
