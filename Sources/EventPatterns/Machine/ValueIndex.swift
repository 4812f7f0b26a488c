/// Everything one automaton state expects of one field, merged into lookup structures: given an
/// event value it yields the next states in time that depends on the value, not on how many
/// conditions share the field.
///
/// Exact strings are looked up in a byte hash table and exact numbers by value; prefixes and
/// suffixes are byte tries; ignore-case forms are looked up by a case-folded key and then checked
/// exactly; wildcards are indexed by their literal head or tail and then checked; numeric ranges
/// live in an interval tree; `*x*` wildcards and regexes with a required literal are found by
/// that literal (`InfixIndex`) and then checked. Only conditions no index can narrow (regexes
/// without a certain literal, `exists`, a few `anything-but` forms) are checked one by one, and
/// the automaton stops reading a field once everything its conditions lead to has matched.
///
/// Built as a value (`ValueTables`), then frozen into a class with a `let`; lookups are methods
/// of the class reading one table at a time, so they neither copy the tables nor need dynamic
/// exclusivity checks.
final class ValueIndex: Sendable {
    let tables: ValueTables
    init(_ tables: ValueTables) {
        var t = tables
        t.seal()
        self.tables = t
    }
}

/// Lookups read the tables field by field through the class: a method on the whole struct made
/// Swift copy all ~500 bytes of it onto the stack for every lookup.
extension ValueIndex {
    @inline(__always)
    private func verify(_ i: Int32, _ v: EventValue, _ body: (Int32) -> Void) {
        // Through the buffer: copying the `Checked` would retain the condition's payload.
        let target: Int32? = tables.checked.withUnsafeBufferPointer { all in
            all[Int(i)].condition.matches(v) ? all[Int(i)].target : nil
        }
        if let target { body(target) }
    }

    /// The ignore-case conditions: looked up by the value's case-folded key, then verified.
    /// ASCII values (the common case) are folded into a stack buffer, others through Unicode.
    private func forEachFoldedCandidate(_ v: EventValue, _ body: (Int32) -> Void) {
        func lookUp(_ key: UnsafeBufferPointer<UInt8>, asciiValue: Bool) {
            func candidate(_ i: Int32) {
                if asciiValue && tables.foldedKeyDecidesASCII[Int(i)] {
                    body(tables.checkedTargets[Int(i)])
                } else {
                    verify(i, v, body)
                }
            }
            if !tables.checkedByFoldedValue.isEmpty, let list = tables.checkedByFoldedValue.lookup(key) {
                for i in list { candidate(i) }
            }
            tables.checkedByFoldedPrefix.forEachPrefix(of: key) { candidate($0) }
            tables.checkedByFoldedSuffix.forEachPrefix(of: key.reversed()) { candidate($0) }
        }
        if !ASCIIFolding.withFolded(v.bytes, { lookUp($0, asciiValue: true) }) {
            FoldedString.foldKey(v.bytes).withUnsafeBufferPointer { lookUp($0, asciiValue: false) }
        }
    }

    /// Calls `body` with the target of every condition that `v` satisfies (possibly repeated).
    func forEachTarget(_ v: EventValue, _ body: (Int32) -> Void) {
        switch v.kind {
        case .string:
            if !tables.strings.isEmpty, let t = tables.strings.lookup(v.bytes) { for x in t { body(x) } }
            if tables.hasPrefixes {
                tables.prefixes.forEachPrefix(of: v.bytes, body)
                tables.checkedByPrefix.forEachPrefix(of: v.bytes) { verify($0, v, body) }
                if !tables.wildcardTailsByHead.isEmpty {
                    tables.wildcardHeads.forEachPrefix(of: v.bytes) { group in
                        tables.wildcardTailsByHead[Int(group)].forEachPrefix(of: v.bytes.reversed()) { verify($0, v, body) }
                    }
                }
            }
            if tables.hasSuffixes {
                tables.suffixes.forEachPrefix(of: v.bytes.reversed(), body)
                tables.checkedBySuffix.forEachPrefix(of: v.bytes.reversed()) { verify($0, v, body) }
            }
            if !tables.infixes.isEmpty { tables.infixes.forEachCandidate(in: v.bytes) { verify($0, v, body) } }
            if tables.needsFolding { forEachFoldedCandidate(v, body) }
            if tables.hasCIDRs, let address = IPAddress.parse(v.bytes) {
                tables.cidrs.forEachPrefix(of: ValueTables.bitKey(address, bits: address.count * 8), body)
            }
        case .number:
            if let d = v.double {
                if let t = tables.numbers[d] { for x in t { body(x) } }
                tables.numeric.forEachContaining(d, body)
            }
            if !tables.numberTexts.isEmpty, let t = tables.numberTexts[String(decoding: v.bytes, as: UTF8.self)] { for x in t { body(x) } }
        case .true: for x in tables.trueTargets { body(x) }
        case .false: for x in tables.falseTargets { body(x) }
        case .null: for x in tables.nullTargets { body(x) }
        }
        if !tables.antiTargets.isEmpty { forEachAntiTarget(v, body) }
        for i in tables.checkedAlways { verify(i, v, body) }
    }

    /// The `anything-but` string-form targets `v` satisfies: for a string, every slot except
    /// those its exclusions name; values of other types are never excluded.
    private func forEachAntiTarget(_ v: EventValue, _ body: (Int32) -> Void) {
        guard v.kind == .string else {
            for t in tables.antiTargets { body(t) }
            return
        }
        if !tables.hasAntiAffixes && tables.antiFoldedSlots.isEmpty {
            // Lists only (the common case): one lookup names the few excluded slots.
            guard !tables.antiExcludedByString.isEmpty, let slots = tables.antiExcludedByString.lookup(v.bytes) else {
                for t in tables.antiTargets { body(t) }
                return
            }
            for (slot, t) in tables.antiTargets.enumerated() where !slots.contains(Int32(slot)) { body(t) }
            return
        }
        // Ignore-case lists only, ASCII value: one lookup of the folded value.
        if !tables.hasAntiAffixes && tables.antiExcludedByString.isEmpty
            && ASCIIFolding.withFolded(v.bytes, { key in
                guard let slots = tables.antiExcludedByFoldedKey.lookup(key) else {
                    for t in tables.antiTargets { body(t) }
                    return
                }
                for (slot, t) in tables.antiTargets.enumerated() where !slots.contains(Int32(slot)) { body(t) }
            })
        {
            return
        }
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: tables.antiTargets.count) { excluded in
            excluded.initialize(repeating: false)
            if !tables.antiExcludedByString.isEmpty, let slots = tables.antiExcludedByString.lookup(v.bytes) {
                for s in slots { excluded[Int(s)] = true }
            }
            if tables.hasAntiAffixes {
                tables.antiExcludedByPrefix.forEachPrefix(of: v.bytes) { excluded[Int($0)] = true }
                tables.antiExcludedBySuffix.forEachPrefix(of: v.bytes.reversed()) { excluded[Int($0)] = true }
            }
            if !tables.antiFoldedSlots.isEmpty {
                let ascii = ASCIIFolding.withFolded(v.bytes) { key in
                    if let slots = tables.antiExcludedByFoldedKey.lookup(key) {
                        for s in slots { excluded[Int(s)] = true }
                    }
                }
                if !ascii {
                    for (slot, check) in tables.antiFoldedSlots { excluded[Int(slot)] = !conditionHolds(check, v) }
                }
            }
            for (slot, t) in tables.antiTargets.enumerated() where !excluded[slot] { body(t) }
        }
    }

    private func conditionHolds(_ i: Int32, _ v: EventValue) -> Bool {
        tables.checked.withUnsafeBufferPointer { $0[Int(i)].condition.matches(v) }
    }
}

struct ValueTables: Sendable {
    /// A condition kept for exact checking, and the state it leads to.
    struct Checked: Sendable {
        var condition: ValueCondition
        var target: Int32
    }

    fileprivate(set) var strings = BytesTable()
    fileprivate(set) var trueTargets: [Int32] = []
    fileprivate(set) var falseTargets: [Int32] = []
    fileprivate(set) var nullTargets: [Int32] = []
    fileprivate(set) var numbers: [Double: [Int32]] = [:]
    fileprivate(set) var numberTexts: [String: [Int32]] = [:]
    fileprivate(set) var prefixes = ByteTrie()
    fileprivate(set) var suffixes = ByteTrie()
    fileprivate(set) var numeric = NumericIndex()

    fileprivate(set) var checked: [Checked] = []
    /// Per checked condition: its target, and whether a folded-key hit alone decides it for an
    /// ASCII value.
    fileprivate(set) var checkedTargets: [Int32] = []
    fileprivate(set) var foldedKeyDecidesASCII: [Bool] = []
    /// Indexes into `checked`, narrowed by a raw-byte prefix / suffix of the value.
    fileprivate(set) var checkedByPrefix = ByteTrie()
    fileprivate(set) var checkedBySuffix = ByteTrie()
    /// Wildcards with a literal head and tail (`ab*yz`): grouped by head, then looked up by tail
    /// within the group, so many wildcards that share a head cost one lookup, not a check each.
    fileprivate(set) var wildcardHeads = ByteTrie()
    fileprivate(set) var wildcardTailsByHead: [ByteTrie] = []
    private var wildcardHeadGroup: [[UInt8]: Int32] = [:]
    /// Indexes into `checked`, narrowed by the case-folded value.
    fileprivate(set) var checkedByFoldedValue = BytesTable()
    fileprivate(set) var checkedByFoldedPrefix = ByteTrie()
    fileprivate(set) var checkedByFoldedSuffix = ByteTrie()
    /// Indexes into `checked` by a literal the value must contain (`*x*` wildcards, regexes
    /// with a required literal).
    fileprivate(set) var infixes = InfixIndex()
    /// Indexes into `checked` tried against every value.
    fileprivate(set) var checkedAlways: [Int32] = []
    /// `anything-but` string forms (lists, prefixes, suffixes, ASCII ignore-case lists), indexed
    /// the other way round: each such condition is a slot whose target every value reaches
    /// except the strings its slot is excluded by, which are looked up once per value.
    fileprivate(set) var antiTargets: [Int32] = []
    fileprivate(set) var antiExcludedByString = BytesTable()
    fileprivate(set) var antiExcludedByPrefix = ByteTrie()
    fileprivate(set) var antiExcludedBySuffix = ByteTrie()
    fileprivate(set) var antiExcludedByFoldedKey = BytesTable()
    /// Ignore-case slots, with their condition for values that are not ASCII (where a folded
    /// key alone does not decide, for example the Kelvin sign).
    fileprivate(set) var antiFoldedSlots: [(slot: Int32, check: Int32)] = []
    fileprivate(set) var hasAntiAffixes = false
    /// `cidr` blocks as bit strings (one byte per bit, after a byte for the address length):
    /// the blocks containing an address are the prefixes of its bit string.
    fileprivate(set) var cidrs = ByteTrie()
    fileprivate(set) var hasCIDRs = false
    fileprivate(set) var needsFolding = false
    fileprivate(set) var hasPrefixes = false
    fileprivate(set) var hasSuffixes = false

    /// Every target inserted (with repeats), for the automaton's bookkeeping while it is built;
    /// emptied by `seal`.
    fileprivate(set) var targets: [Int32] = []

    mutating func insert(_ condition: ValueCondition, target: Int32) {
        targets.append(target)
        switch condition {
        case .exactString(let s): strings.append(s, target)
        case .exactNumber(let n):
            if let d = n.double { numbers[d, default: []].append(target) } else { numberTexts[n.text, default: []].append(target) }
        case .literal(.true): trueTargets.append(target)
        case .literal(.false): falseTargets.append(target)
        case .literal(.null): nullTargets.append(target)
        case .prefix(let p):
            hasPrefixes = true
            prefixes.insert(p, target)
        case .suffix(let s):
            hasSuffixes = true
            suffixes.insert(s.reversed(), target)
        case .numeric(let r): numeric.insert(r, target: target)
        case .wildcard(let w) where !w.hasStar: strings.append(w.segments[0], target)
        case .wildcard(let w) where !w.literalPrefix.isEmpty && !w.literalSuffix.isEmpty:
            hasPrefixes = true
            let group: Int32
            if let g = wildcardHeadGroup[w.literalPrefix] {
                group = g
            } else {
                group = Int32(wildcardTailsByHead.count)
                wildcardTailsByHead.append(ByteTrie())
                wildcardHeadGroup[w.literalPrefix] = group
                wildcardHeads.insert(w.literalPrefix, group)
            }
            wildcardTailsByHead[Int(group)].insert(w.literalSuffix.reversed(), check(condition, target))
        case .wildcard(let w) where !w.literalPrefix.isEmpty:
            hasPrefixes = true
            checkedByPrefix.insert(w.literalPrefix, check(condition, target))
        case .wildcard(let w) where !w.literalSuffix.isEmpty:
            hasSuffixes = true
            checkedBySuffix.insert(w.literalSuffix.reversed(), check(condition, target))
        case .wildcard(let w) where w.longestSegment.count > 0:
            infixes.insert(w.longestSegment, check(condition, target))
        case .regex(let r) where r.requiredLiteral != nil:
            infixes.insert(r.requiredLiteral!, check(condition, target))
        case .equalsIgnoreCase(let f) where !f.indexable, .prefixIgnoreCase(let f) where !f.indexable,
            .suffixIgnoreCase(let f) where !f.indexable:
            checkedAlways.append(check(condition, target))
        case .equalsIgnoreCase(let f):
            needsFolding = true
            checkedByFoldedValue.append(f.key, check(condition, target))
        case .prefixIgnoreCase(let f):
            needsFolding = true
            checkedByFoldedPrefix.insert(f.key, check(condition, target))
        case .suffixIgnoreCase(let f):
            needsFolding = true
            checkedByFoldedSuffix.insert(f.key.reversed(), check(condition, target))
        case .cidr(let block):
            hasCIDRs = true
            cidrs.insert(Self.bitKey(block.network, bits: block.bits), target)
        case .anythingBut(.strings(let excluded)):
            let slot = antiSlot(target)
            for s in Set(excluded) { antiExcludedByString.append(s, slot) }
        case .anythingBut(.prefixes(let excluded)):
            hasAntiAffixes = true
            let slot = antiSlot(target)
            for p in Set(excluded) { antiExcludedByPrefix.insert(p, slot) }
        case .anythingBut(.suffixes(let excluded)):
            hasAntiAffixes = true
            let slot = antiSlot(target)
            for x in Set(excluded) { antiExcludedBySuffix.insert(x.reversed(), slot) }
        case .anythingBut(.equalsIgnoreCase(let excluded)) where excluded.allSatisfy({ $0.original.utf8.allSatisfy { $0 < 0x80 } }):
            let slot = antiSlot(target)
            antiFoldedSlots.append((slot, check(condition, target)))
            for f in Set(excluded.map(\.key)) { antiExcludedByFoldedKey.append(f, slot) }
        default:
            checkedAlways.append(check(condition, target))
        }
    }

    private mutating func antiSlot(_ target: Int32) -> Int32 {
        antiTargets.append(target)
        return Int32(antiTargets.count - 1)
    }

    private mutating func check(_ condition: ValueCondition, _ target: Int32) -> Int32 {
        checked.append(Checked(condition: condition, target: target))
        checkedTargets.append(target)
        // An ASCII ignore-case pattern found by an ASCII value's folded key needs no further
        // check: lower-casing both decides it.
        switch condition {
        case .equalsIgnoreCase(let f), .prefixIgnoreCase(let f), .suffixIgnoreCase(let f):
            foldedKeyDecidesASCII.append(f.original.utf8.allSatisfy { $0 < 0x80 })
        default:
            foldedKeyDecidesASCII.append(false)
        }
        return Int32(checked.count - 1)
    }

    static func bitKey(_ address: [UInt8], bits: Int) -> [UInt8] {
        var key: [UInt8] = [UInt8(address.count)]
        key.reserveCapacity(bits + 1)
        for i in 0..<bits { key.append(address[i >> 3] >> (7 - UInt8(i & 7)) & 1) }
        return key
    }

    mutating func seal() {
        strings.seal()
        checkedByFoldedValue.seal()
        antiExcludedByString.seal()
        antiExcludedByFoldedKey.seal()
        cidrs.seal()
        antiExcludedByPrefix.seal()
        antiExcludedBySuffix.seal()
        wildcardHeads.seal()
        for i in wildcardTailsByHead.indices { wildcardTailsByHead[i].seal() }
        numeric.seal()
        infixes.seal()
        targets = []
        prefixes.seal()
        suffixes.seal()
        checkedByPrefix.seal()
        checkedBySuffix.seal()
        checkedByFoldedPrefix.seal()
        checkedByFoldedSuffix.seal()
    }

}
