/// The fields of one event that some rule names, flattened: each leaf value with its field id
/// and its "array trail" (which element of which array it came from), so the matcher can insist
/// that fields of one rule come from the same array element.
struct FlatEvent {
    enum Kind: UInt8 { case string, number, `true`, `false`, null }

    struct Field {
        var fieldID: Int32
        var kind: Kind
        /// The value's bytes in `values`: decoded string text, or number text.
        var start: Int32
        var end: Int32
        /// (arrayID, index) pairs in `trails`.
        var trailStart: Int32
        var trailCount: Int32
        /// For numbers: the exact value, or NaN when the text is not exactly a double's
        /// shortest form (then it matches only by text). Computed once, when flattened.
        var number: Double = .nan
        /// Whether `start..<end` indexes the event's own bytes (text needing no decoding, read in
        /// place) rather than `values`.
        var inEvent = false
    }

    var values: [UInt8] = []
    var fields: [Field] = []
    var trails: [Int32] = []
    /// The fields (`Automaton.fieldBit`) with a value inside an array; set by `index`.
    var arrayFields: UInt64 = 0
    /// Per field id: the first field with that id, chained through `nextSameID`.
    var firstByID: [Int32] = []
    var nextSameID: [Int32] = []
    /// Scratch for the flattener's stop-early bookkeeping, kept here to be reused.
    var completeFlags: [Bool] = []
    var trailStack: [Int32] = []
    var keyScratch: [UInt8] = []

    mutating func reset(fieldCount: Int) {
        values.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        trails.removeAll(keepingCapacity: true)
        if firstByID.count != fieldCount {
            firstByID = Array(repeating: -1, count: fieldCount)
        }
    }

    /// Links fields by id; call once after flattening. `clearIndex` undoes it.
    mutating func index() {
        let n = fields.count
        // Only the first `n` entries are used; the array only ever grows.
        if nextSameID.count < n { nextSameID = Array(repeating: -1, count: max(n, 2 * nextSameID.count)) }
        fields.withUnsafeBufferPointer { fields in
            nextSameID.withUnsafeMutableBufferPointer { next in
                firstByID.withUnsafeMutableBufferPointer { first in
                    var inArrays: UInt64 = 0
                    var i = n - 1
                    while i >= 0 {
                        let id = Int(fields[i].fieldID)
                        next[i] = first[id]
                        first[id] = Int32(i)
                        if fields[i].trailCount != 0 { inArrays |= Automaton.fieldBit(fields[i].fieldID) }
                        i -= 1
                    }
                    arrayFields = inArrays
                }
            }
        }
    }

    mutating func clearIndex() {
        for f in fields { firstByID[Int(f.fieldID)] = -1 }
    }

    mutating func append(_ id: Int32, _ kind: Kind, bytes: UnsafeBufferPointer<UInt8>, trail: [Int32]) {
        let start = Int32(values.count)
        values.append(contentsOf: bytes)
        appendField(id, kind, start: start, trail: trail)
        if kind == .number { fields[fields.count - 1].number = EventNumber.exactValue(bytes) ?? .nan }
    }

    /// A value read in place: `range` indexes the event bytes the match is given.
    mutating func appendInEvent(_ id: Int32, _ kind: Kind, range: Range<Int>, number: Double, trail: [Int32]) {
        let trailStart = Int32(trails.count)
        if !trail.isEmpty { trails.append(contentsOf: trail) }
        fields.append(
            Field(
                fieldID: id, kind: kind, start: Int32(range.lowerBound), end: Int32(range.upperBound), trailStart: trailStart,
                trailCount: Int32(trail.count / 2), number: number, inEvent: true))
    }

    mutating func appendField(_ id: Int32, _ kind: Kind, start: Int32, trail: [Int32]) {
        let trailStart = Int32(trails.count)
        // Appending an empty array to the empty singleton would allocate a buffer every time.
        if !trail.isEmpty { trails.append(contentsOf: trail) }
        fields.append(
            Field(
                fieldID: id, kind: kind, start: start, end: Int32(values.count), trailStart: trailStart,
                trailCount: Int32(trail.count / 2)))
    }

    /// Two fields may serve one rule unless they sit in different elements of one array.
    func consistent(_ a: Int, _ b: Int) -> Bool {
        let fa = fields[a]
        let fb = fields[b]
        let n = Int(min(fa.trailCount, fb.trailCount))
        var k = 0
        while k < n {
            let ia = Int(fa.trailStart) + 2 * k
            let ib = Int(fb.trailStart) + 2 * k
            if trails[ia] != trails[ib] { return true }  // different arrays: unrelated
            if trails[ia + 1] != trails[ib + 1] { return false }  // same array, different elements
            k += 1
        }
        return true
    }
}
