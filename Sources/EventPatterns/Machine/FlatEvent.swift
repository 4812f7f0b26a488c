import CStructuralSkip

/// The fields of one event that some rule names, flattened: each leaf value with its field id
/// and the innermost array element it came from, so the matcher can insist that fields of one
/// rule come from the same array element.
///
/// The elements form a tree (each knows the element enclosing it), recorded once per element
/// as the flattener enters it; a field names only its innermost element, so reading a value
/// inside arrays copies nothing about the arrays around it.
struct FlatEvent {
    enum Kind: UInt8 { case string, number, `true`, `false`, null }

    /// (Members in this order pack into 32 bytes.)
    struct Field {
        /// For numbers: the exact value, or NaN when the text is not exactly a double's
        /// shortest form (then it matches only by text). Computed once, when flattened.
        var number: Double
        var fieldID: Int32
        /// The value's bytes in `values`: decoded string text, or number text.
        var start: Int32
        var end: Int32
        /// The innermost array element holding the value (an index into `elements`), or -1
        /// when no array encloses it.
        var element: Int32
        var kind: Kind
        /// Whether `start..<end` indexes the event's own bytes (text needing no decoding, read in
        /// place) rather than `values`.
        var inEvent: Bool

        init(fieldID: Int32, kind: Kind, start: Int32, end: Int32, element: Int32, number: Double = .nan, inEvent: Bool = false) {
            self.number = number
            self.fieldID = fieldID
            self.start = start
            self.end = end
            self.element = element
            self.kind = kind
            self.inEvent = inEvent
        }
    }

    /// One element of an array, in the order the flattener entered them.
    struct Element {
        /// The element of the array enclosing this one, or -1 for an outermost array.
        var parent: Int32
        var arrayID: Int32
        var index: Int32
        /// The element's first field (fields of one element are contiguous, as the event is
        /// read depth first).
        var firstField: Int32
        /// How many arrays enclose the element's values, itself included.
        var depth: Int32
    }

    var values: [UInt8] = []
    /// Scratch vectors, not arrays: appended to for every field of large events, where an
    /// array's uniqueness checks cost more than the stores. Freed by `free()`.
    var fields = ScratchVector<Field>()
    var elements = ScratchVector<Element>()
    /// The fields (`Automaton.fieldBit`) with a value inside an array; set by `index`.
    var arrayFields: UInt64 = 0
    /// Whether `byID` and `idStart` describe this event.
    private var arraysIndexed = false
    /// Per field id: the first field with that id, chained through `nextSameID`.
    var firstByID: [Int32] = []
    var nextSameID: [Int32] = []
    /// The fields of each id in event order: `byID[idStart[id]..<idStart[id + 1]]`, for
    /// skipping whole array elements by binary search (set by `index`).
    var byID: [Int32] = []
    var idStart: [Int32] = []
    /// Per array id: one past its last field (set by the flattener when the array closes).
    var arrayEnd = ScratchVector<Int32>()
    /// Scratch for the flattener's stop-early bookkeeping, kept here to be reused.
    var completeFlags: [Bool] = []
    var keyScratch: [UInt8] = []
    var scalarScratch = ScratchVector<ef_scalar>()

    mutating func reset(fieldCount: Int) {
        values.removeAll(keepingCapacity: true)
        fields.removeAll()
        elements.removeAll()
        arrayEnd.removeAll()
        if firstByID.count != fieldCount {
            firstByID = Array(repeating: -1, count: fieldCount)
        }
    }

    /// Links fields by id; call once after flattening. `clearIndex` undoes it.
    mutating func index() {
        let n = fields.count
        // Only the first `n` entries are used; the array only ever grows.
        if nextSameID.count < n { nextSameID = Array(repeating: -1, count: max(n, 2 * nextSameID.count)) }
        do {
            let fields = UnsafeBufferPointer(self.fields.buffer)
            nextSameID.withUnsafeMutableBufferPointer { next in
                firstByID.withUnsafeMutableBufferPointer { first in
                    var inArrays: UInt64 = 0
                    var i = n - 1
                    while i >= 0 {
                        let id = Int(fields[i].fieldID)
                        next[i] = first[id]
                        first[id] = Int32(i)
                        if fields[i].element >= 0 { inArrays |= Automaton.fieldBit(fields[i].fieldID) }
                        i -= 1
                    }
                    arrayFields = inArrays
                }
            }
        }
        arraysIndexed = false
    }

    /// The first field of `id` consistent with every field in `chosen` (see `nextConsistent`),
    /// indexing the event's arrays on first use: most matches never need it.
    mutating func firstConsistent(id: Int, chosen: UnsafeMutableBufferPointer<Int32>, _ k: inout Int) -> Int32 {
        if !arraysIndexed {
            indexArrays()
            arraysIndexed = true
        }
        return nextConsistent(id: id, from: Int(idStart[id]), chosen: chosen, &k)
    }

    /// The fields of each id in event order: what `nextConsistent` needs to jump over the
    /// elements a choice rules out. Linear in the event's fields.
    private mutating func indexArrays() {
        let n = fields.count
        let ids = firstByID.count
        if idStart.count != ids + 1 { idStart = Array(repeating: 0, count: ids + 1) }
        if byID.count < n { byID = Array(repeating: 0, count: max(n, 2 * byID.count)) }
        // Through pointers: this runs over every field of large events, and array accesses
        // through `self` paid for uniqueness and bounds checks at each step.
        do {
            let fields = UnsafeBufferPointer(self.fields.buffer)
            idStart.withUnsafeMutableBufferPointer { idStart in
                byID.withUnsafeMutableBufferPointer { byID in
                    for i in idStart.indices { idStart[i] = 0 }
                    for f in fields { idStart[Int(f.fieldID) + 1] += 1 }
                    for i in 0..<ids { idStart[i + 1] += idStart[i] }
                    // Fill each id's run from its start, then shift the starts back.
                    for (i, f) in fields.enumerated() {
                        let id = Int(f.fieldID)
                        byID[Int(idStart[id])] = Int32(i)
                        idStart[id] += 1
                    }
                    var i = ids
                    while i > 0 {
                        idStart[i] = idStart[i - 1]
                        i -= 1
                    }
                    idStart[0] = 0
                }
            }
        }
    }

    /// The first field at or after `from` (an index into `byID` for `id`) that is consistent
    /// with every field in `chosen`, or -1. A field in another element of an array a chosen
    /// field sits in rules out its whole element: the search jumps to the chosen element (or
    /// past the array) by binary search instead of checking the fields in between.
    func nextConsistent(id: Int, from: Int, chosen: UnsafeMutableBufferPointer<Int32>, _ k: inout Int) -> Int32 {
        let end = Int(idStart[id + 1])
        k = from
        outer: while k < end {
            let g = Int(byID[k])
            for c in chosen {
                let target = jumpTarget(g, Int(c))
                if target < 0 { continue }
                // Binary search for the first field of `id` at or after `target`.
                var lo = k + 1
                var hi = end
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if byID[mid] < target { lo = mid + 1 } else { hi = mid }
                }
                k = lo
                continue outer
            }
            return Int32(g)
        }
        return -1
    }

    /// -1 when field `g` may serve a rule alongside `c`; otherwise the first field position
    /// that might: the start of `c`'s element when `g` comes before it in their shared array,
    /// or the array's end when after.
    private func jumpTarget(_ g: Int, _ c: Int) -> Int32 {
        guard let (eg, ec) = parting(g, c) else { return -1 }
        let cElement = elements[ec]
        return elements[eg].index < cElement.index ? cElement.firstField : arrayEnd[Int(cElement.arrayID)]
    }

    /// Where fields `a` and `b` part: their elements in the outermost array both sit in but in
    /// different elements; nil when there is none. Elements below the same element are in the
    /// same place above it, so this is the pair just below their nearest common element.
    @inline(__always)
    private func parting(_ a: Int, _ b: Int) -> (Int, Int)? {
        var x = Int(fields[a].element)
        var y = Int(fields[b].element)
        guard x >= 0 && y >= 0 else { return nil }
        var dx = elements[x].depth
        var dy = elements[y].depth
        while dx > dy { x = Int(elements[x].parent); dx -= 1 }
        while dy > dx { y = Int(elements[y].parent); dy -= 1 }
        var below = (-1, -1)
        while x != y {
            below = (x, y)
            x = Int(elements[x].parent)
            y = Int(elements[y].parent)
        }
        guard below.0 >= 0 else { return nil }  // the same element
        return elements[below.0].arrayID == elements[below.1].arrayID ? below : nil
    }

    mutating func clearIndex() {
        // Whichever is shorter: the event's fields or the field ids.
        if fields.count > firstByID.count {
            firstByID.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
        } else {
            for f in fields.buffer { firstByID[Int(f.fieldID)] = -1 }
        }
    }

    mutating func free() {
        fields.free()
        elements.free()
        arrayEnd.free()
        scalarScratch.free()
    }

    mutating func append(_ id: Int32, _ kind: Kind, bytes: UnsafeBufferPointer<UInt8>, element: Int32) {
        let start = Int32(values.count)
        values.append(contentsOf: bytes)
        appendField(id, kind, start: start, element: element)
        if kind == .number { fields[fields.count - 1].number = EventNumber.exactValue(bytes) ?? .nan }
    }

    /// A value read in place: `range` indexes the event bytes the match is given.
    mutating func appendInEvent(_ id: Int32, _ kind: Kind, range: Range<Int>, number: Double, element: Int32) {
        fields.append(
            Field(
                fieldID: id, kind: kind, start: Int32(range.lowerBound), end: Int32(range.upperBound), element: element,
                number: number, inEvent: true))
    }

    mutating func appendField(_ id: Int32, _ kind: Kind, start: Int32, element: Int32) {
        fields.append(Field(fieldID: id, kind: kind, start: start, end: Int32(values.count), element: element))
    }

    /// Enters element `index` of array `arrayID` inside element `parent` (-1: none); returns
    /// the new element, which the fields read next belong to.
    mutating func enterElement(_ arrayID: Int32, _ index: Int32, parent: Int32) -> Int32 {
        let depth = parent < 0 ? 1 : elements[Int(parent)].depth + 1
        elements.append(Element(parent: parent, arrayID: arrayID, index: index, firstField: Int32(fields.count), depth: depth))
        return Int32(elements.count - 1)
    }

    /// Two fields may serve one rule unless they sit in different elements of one array (reads
    /// only the elements, so it needs no `indexArrays`).
    func consistent(_ a: Int, _ b: Int) -> Bool { parting(a, b) == nil }
}
