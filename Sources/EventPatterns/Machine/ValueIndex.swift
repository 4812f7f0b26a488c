/// Everything one automaton state expects of one field, merged into lookup structures: given an
/// event value it yields the next states in time that depends on the value, not on how many
/// conditions share the field.
///
/// Exact strings are looked up in a byte hash table and exact numbers by value; prefixes and
/// suffixes are byte tries; ignore-case forms are looked up by a case-folded key and then checked
/// exactly; wildcards are indexed by their literal head or tail and then checked; numeric ranges
/// live in an interval tree. Only conditions no index can narrow (anything-but, cidr, regex,
/// `*x*` wildcards, exists) are checked one by one.
///
/// Built as a value (`ValueTables`), then frozen into a class with a `let` so that lookups
/// share it without copying and without dynamic exclusivity checks.
final class ValueIndex: Sendable {
    let tables: ValueTables
    init(_ tables: ValueTables) {
        var t = tables
        t.seal()
        self.tables = t
    }

    @inline(__always)
    func forEachTarget(_ v: EventValue, _ body: (Int32) -> Void) { tables.forEachTarget(v, body) }
}

struct ValueTables: Sendable {
    /// A condition kept for exact checking, and the state it leads to.
    struct Checked: Sendable {
        var condition: ValueCondition
        var target: Int32
    }

    private var strings = BytesTable()
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
    /// Wildcards with a literal head and tail (`ab*yz`): grouped by head, then looked up by tail
    /// within the group, so many wildcards that share a head cost one lookup, not a check each.
    private var wildcardHeads = ByteTrie()
    private var wildcardTailsByHead: [ByteTrie] = []
    private var wildcardHeadGroup: [[UInt8]: Int32] = [:]
    /// Indexes into `checked`, narrowed by the case-folded value.
    private var checkedByFoldedValue = BytesTable()
    private var checkedByFoldedPrefix = ByteTrie()
    private var checkedByFoldedSuffix = ByteTrie()
    /// Indexes into `checked` tried against every value.
    private var checkedAlways: [Int32] = []
    /// `anything-but` string forms (lists, prefixes, suffixes, ASCII ignore-case lists), indexed
    /// the other way round: each such condition is a slot whose target every value reaches
    /// except the strings its slot is excluded by, which are looked up once per value.
    private var antiTargets: [Int32] = []
    private var antiExcludedByString = BytesTable()
    private var antiExcludedByPrefix = ByteTrie()
    private var antiExcludedBySuffix = ByteTrie()
    private var antiExcludedByFoldedKey = BytesTable()
    /// Ignore-case slots, with their condition for values that are not ASCII (where a folded
    /// key alone does not decide, for example the Kelvin sign).
    private var antiFoldedSlots: [(slot: Int32, check: Int32)] = []
    private var hasAntiAffixes = false
    /// `cidr` blocks as bit strings (one byte per bit, after a byte for the address length):
    /// the blocks containing an address are the prefixes of its bit string.
    private var cidrs = ByteTrie()
    private var hasCIDRs = false
    private var needsFolding = false
    private var hasPrefixes = false
    private var hasSuffixes = false

    mutating func insert(_ condition: ValueCondition, target: Int32) {
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
        case .anythingBut(.equalsIgnoreCase(let excluded)) where excluded.allSatisfy({ $0.key.allSatisfy { $0 < 0x80 } }):
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
        return Int32(checked.count - 1)
    }

    static func bitKey(_ address: [UInt8], bits: Int) -> [UInt8] {
        var key: [UInt8] = [UInt8(address.count)]
        key.reserveCapacity(bits + 1)
        for i in 0..<bits { key.append(address[i >> 3] >> (7 - UInt8(i & 7)) & 1) }
        return key
    }

    mutating func seal() {
        cidrs.seal()
        antiExcludedByPrefix.seal()
        antiExcludedBySuffix.seal()
        wildcardHeads.seal()
        for i in wildcardTailsByHead.indices { wildcardTailsByHead[i].seal() }
        numeric.seal()
        prefixes.seal()
        suffixes.seal()
        checkedByPrefix.seal()
        checkedBySuffix.seal()
        checkedByFoldedPrefix.seal()
        checkedByFoldedSuffix.seal()
    }

    @inline(__always)
    private func verify(_ i: Int32, _ v: EventValue, _ body: (Int32) -> Void) {
        // Through the buffer: copying the `Checked` would retain the condition's payload.
        let target: Int32? = checked.withUnsafeBufferPointer { all in
            all[Int(i)].condition.matches(v) ? all[Int(i)].target : nil
        }
        if let target { body(target) }
    }

    /// The ignore-case conditions: looked up by the value's case-folded key, then verified.
    /// ASCII values (the common case) are folded into a stack buffer, others through Unicode.
    private func forEachFoldedCandidate(_ v: EventValue, _ body: (Int32) -> Void) {
        func lookUp(_ key: UnsafeBufferPointer<UInt8>) {
            if !checkedByFoldedValue.isEmpty, let list = checkedByFoldedValue.lookup(key) {
                for i in list { verify(i, v, body) }
            }
            checkedByFoldedPrefix.forEachPrefix(of: key) { verify($0, v, body) }
            checkedByFoldedSuffix.forEachPrefix(of: key.reversed()) { verify($0, v, body) }
        }
        var ascii = true
        for b in v.bytes where b >= 0x80 {
            ascii = false
            break
        }
        if ascii {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, v.bytes.count)) { buffer in
                for (i, b) in v.bytes.enumerated() { buffer[i] = b &- 0x41 < 26 ? b | 0x20 : b }
                lookUp(UnsafeBufferPointer(rebasing: buffer[..<v.bytes.count]))
            }
        } else {
            FoldedString.foldKey(Array(v.bytes)).withUnsafeBufferPointer { lookUp($0) }
        }
    }

    /// Calls `body` with the target of every condition that `v` satisfies (possibly repeated).
    func forEachTarget(_ v: EventValue, _ body: (Int32) -> Void) {
        switch v.kind {
        case .string:
            if !strings.isEmpty, let t = strings.lookup(v.bytes) { for x in t { body(x) } }
            if hasPrefixes {
                prefixes.forEachPrefix(of: v.bytes, body)
                checkedByPrefix.forEachPrefix(of: v.bytes) { verify($0, v, body) }
                if !wildcardTailsByHead.isEmpty {
                    wildcardHeads.forEachPrefix(of: v.bytes) { group in
                        wildcardTailsByHead[Int(group)].forEachPrefix(of: v.bytes.reversed()) { verify($0, v, body) }
                    }
                }
            }
            if hasSuffixes {
                suffixes.forEachPrefix(of: v.bytes.reversed(), body)
                checkedBySuffix.forEachPrefix(of: v.bytes.reversed()) { verify($0, v, body) }
            }
            if needsFolding { forEachFoldedCandidate(v, body) }
            if hasCIDRs, let address = IPAddress.parse(v.bytes) {
                cidrs.forEachPrefix(of: Self.bitKey(address, bits: address.count * 8), body)
            }
        case .number:
            if let d = v.double {
                if let t = numbers[d] { for x in t { body(x) } }
                numeric.forEachContaining(d, body)
            }
            if !numberTexts.isEmpty, let t = numberTexts[String(decoding: v.bytes, as: UTF8.self)] { for x in t { body(x) } }
        case .true: for x in trueTargets { body(x) }
        case .false: for x in falseTargets { body(x) }
        case .null: for x in nullTargets { body(x) }
        }
        if !antiTargets.isEmpty { forEachAntiTarget(v, body) }
        for i in checkedAlways { verify(i, v, body) }
    }

    /// The `anything-but` string-form targets `v` satisfies: for a string, every slot except
    /// those its exclusions name; values of other types are never excluded.
    private func forEachAntiTarget(_ v: EventValue, _ body: (Int32) -> Void) {
        guard v.kind == .string else {
            for t in antiTargets { body(t) }
            return
        }
        if !hasAntiAffixes && antiFoldedSlots.isEmpty {
            // Lists only (the common case): one lookup names the few excluded slots.
            guard !antiExcludedByString.isEmpty, let slots = antiExcludedByString.lookup(v.bytes) else {
                for t in antiTargets { body(t) }
                return
            }
            for (slot, t) in antiTargets.enumerated() where !slots.contains(Int32(slot)) { body(t) }
            return
        }
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: antiTargets.count) { excluded in
            excluded.initialize(repeating: false)
            if !antiExcludedByString.isEmpty, let slots = antiExcludedByString.lookup(v.bytes) {
                for s in slots { excluded[Int(s)] = true }
            }
            if hasAntiAffixes {
                antiExcludedByPrefix.forEachPrefix(of: v.bytes) { excluded[Int($0)] = true }
                antiExcludedBySuffix.forEachPrefix(of: v.bytes.reversed()) { excluded[Int($0)] = true }
            }
            if !antiFoldedSlots.isEmpty {
                if v.bytes.allSatisfy({ $0 < 0x80 }) {
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, v.bytes.count)) { folded in
                        for (i, b) in v.bytes.enumerated() { folded[i] = b &- 0x41 < 26 ? b | 0x20 : b }
                        if let slots = antiExcludedByFoldedKey.lookup(UnsafeBufferPointer(rebasing: folded[..<v.bytes.count])) {
                            for s in slots { excluded[Int(s)] = true }
                        }
                    }
                } else {
                    for (slot, check) in antiFoldedSlots { excluded[Int(slot)] = !conditionHolds(check, v) }
                }
            }
            for (slot, t) in antiTargets.enumerated() where !excluded[slot] { body(t) }
        }
    }

    private func conditionHolds(_ i: Int32, _ v: EventValue) -> Bool {
        checked.withUnsafeBufferPointer { $0[Int(i)].condition.matches(v) }
    }
}
