import CStructuralSkip

/// Conditions that need a literal somewhere inside the value — `*x*` wildcards, regexes with a
/// required literal — indexed by that literal (their anchor): one Aho–Corasick pass over the
/// value finds every anchor it contains, so only the conditions whose anchor occurs are checked,
/// however many share the field. The pass costs the value's length plus one step per distinct
/// anchor found (each anchor is reported once per value), never values × conditions.
///
/// Built with `insert`, then `seal`ed into one flat read-only table.
struct InfixIndex: Sendable {
    private var anchors: [[UInt8]: [Int32]] = [:]
    private var sealed: SealedInfixAutomaton?
    private(set) var isEmpty = true

    /// Files `payload` under `anchor` (not empty).
    mutating func insert(_ anchor: [UInt8], _ payload: Int32) {
        precondition(sealed == nil, "a sealed InfixIndex is read-only")
        precondition(!anchor.isEmpty, "an infix anchor is never empty")
        isEmpty = false
        anchors[anchor, default: []].append(payload)
    }

    mutating func seal() {
        if !anchors.isEmpty { sealed = SealedInfixAutomaton(anchors.sorted { $0.key.lexicographicallyPrecedes($1.key) }) }
        anchors = [:]
    }

    /// Calls `body` with the payloads of every anchor that occurs in `bytes`, each anchor once.
    @inline(__always)
    func forEachCandidate(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
        sealed?.forEachCandidate(in: bytes, body)
    }
}

final class SealedInfixAutomaton: @unchecked Sendable {
    // Unchecked: written only in `init`, read-only afterwards.
    /// Node records, each contiguous: edge count, failure link, dictionary link (the nearest
    /// node on the failure chain that ends an anchor, or `none`), output number (or `none`),
    /// payload start, payload count, then per edge the key byte and the child. Links and
    /// children are offsets into this array; the root is at 0.
    private let words: [UInt32]
    private let payloads: [Int32]
    /// The root's moves for every byte (0: stay at the root), so bytes that start no anchor,
    /// most of a value, cost one load.
    private let root: [UInt32]
    /// How many nodes end an anchor (the size of a per-value "already reported" set).
    private let outputs: Int
    /// The same automaton as a table, when it is small enough (`denseLimit` entries): bytes
    /// map to classes (the distinct bytes of the anchors, and one class for all others), and
    /// `dense[node × classes + class]` is the next node's number, failure links already
    /// followed, so a byte costs two loads. `firstOutput` per node number: the offset (in
    /// `words`) of the first node of its output chain, or `none`.
    private let classOf: [UInt8]
    private let classes: Int
    private let dense: [UInt32]
    private let firstOutput: [UInt32]
    static let denseLimit = 1 << 22
    private static let none = UInt32.max
    private static let header = 6

    init(_ anchors: [(key: [UInt8], value: [Int32])]) {
        // Build a plain trie first: per node its sorted edges, its payloads and its depth order.
        var edges: [[(UInt8, Int)]] = [[]]
        var nodePayloads: [[Int32]] = [[]]
        for (key, values) in anchors {
            var n = 0
            for b in key {
                if let e = edges[n].first(where: { $0.0 == b }) {
                    n = e.1
                } else {
                    edges.append([])
                    nodePayloads.append([])
                    edges[n].append((b, edges.count - 1))
                    n = edges.count - 1
                }
            }
            nodePayloads[n] += values
        }
        for i in edges.indices { edges[i].sort { $0.0 < $1.0 } }
        // Failure and dictionary links, breadth first (a node's links need its parent's).
        var fail = [Int](repeating: 0, count: edges.count)
        var dict = [Int](repeating: -1, count: edges.count)
        var queue: [Int] = edges[0].map(\.1)
        var head = 0
        func step(_ from: Int, _ b: UInt8) -> Int {
            var n = from
            while true {
                if let e = edges[n].first(where: { $0.0 == b }) { return e.1 }
                if n == 0 { return 0 }
                n = fail[n]
            }
        }
        while head < queue.count {
            let n = queue[head]
            head += 1
            for (b, child) in edges[n] {
                fail[child] = n == 0 ? 0 : step(fail[n], b)
                let f = fail[child]
                dict[child] = nodePayloads[f].isEmpty ? dict[f] : f
                queue.append(child)
            }
        }
        // Flatten.
        var offsets: [Int] = []
        var size = 0
        for e in edges {
            offsets.append(size)
            size += Self.header + 2 * e.count
        }
        var words: [UInt32] = []
        words.reserveCapacity(size)
        var flat: [Int32] = []
        var outputs = 0
        for n in edges.indices {
            words.append(UInt32(edges[n].count))
            words.append(UInt32(offsets[fail[n]]))
            words.append(dict[n] < 0 ? Self.none : UInt32(offsets[dict[n]]))
            if nodePayloads[n].isEmpty {
                words.append(Self.none)
            } else {
                words.append(UInt32(outputs))
                outputs += 1
            }
            words.append(UInt32(flat.count))
            words.append(UInt32(nodePayloads[n].count))
            flat += nodePayloads[n]
            for (b, child) in edges[n] {
                words.append(UInt32(b))
                words.append(UInt32(offsets[child]))
            }
        }
        var root = [UInt32](repeating: 0, count: 256)
        for (b, child) in edges[0] { root[Int(b)] = UInt32(offsets[child]) }
        self.root = root
        self.words = words
        self.payloads = flat
        self.outputs = outputs

        // Class 0 is every byte no anchor uses; the others one class each. With all 256 bytes
        // in anchors there is no class 0 to spare, and such an automaton (like one too large
        // for the table) keeps the sparse walk.
        var used = [Bool](repeating: false, count: 256)
        for e in edges { for (b, _) in e { used[Int(b)] = true } }
        let representative = [UInt8(0)] + (0...255).filter { used[$0] }.map { UInt8($0) }
        let k = representative.count
        var classOf = [UInt8](repeating: 0, count: 256)
        var dense: [UInt32] = []
        var firstOutput: [UInt32] = []
        if k <= 256 && edges.count * k <= Self.denseLimit {
            for c in 1..<k { classOf[Int(representative[c])] = UInt8(c) }
            var number: [Int: Int] = [:]
            for (i, o) in offsets.enumerated() { number[o] = i }
            dense = [UInt32](repeating: 0, count: edges.count * k)
            words.withUnsafeBufferPointer { w in
                root.withUnsafeBufferPointer { root in
                    for i in edges.indices {
                        for c in 1..<k {
                            let b = UInt32(representative[c])
                            let to = i == 0 ? Int(root[Int(b)]) : Self.next(w, root, offsets[i], b)
                            dense[i * k + c] = UInt32(number[to]!)
                        }
                    }
                }
            }
            firstOutput = words.withUnsafeBufferPointer { w in offsets.map { Self.chainStart(w, $0) } }
        }
        self.classOf = classOf
        self.classes = k
        self.dense = dense
        self.firstOutput = firstOutput
    }

    func forEachCandidate(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
        words.withUnsafeBufferPointer { w in
            payloads.withUnsafeBufferPointer { p in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: (outputs + 63) / 64) { reported in
                    reported.initialize(repeating: 0)
                    if dense.isEmpty {
                        sparseWalk(bytes, w, p, reported, body)
                        return
                    }
                    dense.withUnsafeBufferPointer { dense in
                        classOf.withUnsafeBufferPointer { classOf in
                            firstOutput.withUnsafeBufferPointer { firstOutput in
                                // The walk in C stops only where some anchor ends.
                                var state: UInt32 = 0
                                var i = 0
                                while true {
                                    i = ef_infix_walk(
                                        bytes.baseAddress, bytes.count, i, dense.baseAddress, classes, classOf.baseAddress,
                                        firstOutput.baseAddress, Self.none, &state)
                                    if i >= bytes.count { break }
                                    Self.report(from: firstOutput[Int(state)], w, p, reported, body)
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The same pass through the node records, following failure links byte by byte.
    private func sparseWalk(
        _ bytes: UnsafeBufferPointer<UInt8>, _ w: UnsafeBufferPointer<UInt32>, _ p: UnsafeBufferPointer<Int32>,
        _ reported: UnsafeMutableBufferPointer<UInt64>, _ body: (Int32) -> Void
    ) {
        root.withUnsafeBufferPointer { root in
            var node = 0
            for b in bytes {
                node = node == 0 ? Int(root[Int(b)]) : Self.next(w, root, node, UInt32(b))
                if node == 0 { continue }
                let o = Self.chainStart(w, node)
                if o != Self.none { Self.report(from: o, w, p, reported, body) }
            }
        }
    }

    /// Where reporting the anchors that end at node offset `node` starts: the node itself if it
    /// ends an anchor, else its dictionary link (the longest anchor ending there as a suffix),
    /// or `none`.
    @inline(__always)
    private static func chainStart(_ w: UnsafeBufferPointer<UInt32>, _ node: Int) -> UInt32 {
        w[node + 3] != none ? UInt32(node) : w[node + 2]
    }

    /// Reports the output chain starting at node offset `o`, up to the first node already
    /// reported for this value (its own chain was reported with it).
    @inline(__always)
    private static func report(
        from o: UInt32, _ w: UnsafeBufferPointer<UInt32>, _ p: UnsafeBufferPointer<Int32>,
        _ reported: UnsafeMutableBufferPointer<UInt64>, _ body: (Int32) -> Void
    ) {
        var o = o
        while o != none {
            let out = Int(w[Int(o) + 3])
            let bit: UInt64 = 1 << UInt64(out & 63)
            if reported[out >> 6] & bit != 0 { return }
            reported[out >> 6] |= bit
            let start = Int(w[Int(o) + 4])
            for k in start..<start + Int(w[Int(o) + 5]) { body(p[k]) }
            o = w[Int(o) + 2]
        }
    }

    /// The node after reading `b` at `node`: its edge, or the failure chain's.
    @inline(__always)
    private static func next(_ w: UnsafeBufferPointer<UInt32>, _ root: UnsafeBufferPointer<UInt32>, _ from: Int, _ b: UInt32) -> Int {
        var node = from
        while node != 0 {
            var e = node + header
            let end = e + 2 * Int(w[node])
            while e < end && w[e] < b { e += 2 }
            if e < end && w[e] == b { return Int(w[e + 1]) }
            node = Int(w[node + 1])
        }
        return Int(root[Int(b)])
    }
}
