/// A trie over bytes whose nodes carry payloads, for prefix (and, fed reversed bytes, suffix)
/// lookups: walking a value visits the payload of every stored key that is a prefix of it.
///
/// Built with `insert`, then `seal`ed into flat unmanaged buffers that a lookup walks without
/// copying or reference counting; sealing drops the build nodes (three arrays per node), and an
/// empty trie allocates nothing at all, as most of a state's tries are.
struct ByteTrie: Sendable {
    private struct Node: Sendable {
        var keys: [UInt8] = []
        var next: [Int32] = []
        var payload: [Int32] = []
    }

    /// Empty until the first insert; emptied again by `seal`.
    private var nodes: [Node] = []
    private var sealed: SealedByteTrie?
    private(set) var isEmpty = true

    mutating func insert<C: Sequence<UInt8>>(_ key: C, _ payload: Int32) {
        precondition(sealed == nil, "a sealed ByteTrie is read-only")
        isEmpty = false
        if nodes.isEmpty { nodes.append(Node()) }
        var n = 0
        for b in key {
            if let i = nodes[n].keys.firstIndex(of: b) {
                n = Int(nodes[n].next[i])
            } else {
                nodes.append(Node())
                nodes[n].keys.append(b)
                nodes[n].next.append(Int32(nodes.count - 1))
                n = nodes.count - 1
            }
        }
        nodes[n].payload.append(payload)
    }

    /// Freezes the trie for lookups; nothing may be inserted afterwards.
    mutating func seal() {
        if !nodes.isEmpty { sealed = SealedByteTrie(nodes.map { ($0.keys, $0.next, $0.payload) }) }
        nodes = []
    }

    /// Calls `body` with the payloads of every key that is a prefix of `bytes` (none before
    /// `seal`).
    @inline(__always)
    func forEachPrefix<C: Sequence<UInt8>>(of bytes: C, _ body: (Int32) -> Void) {
        sealed?.forEachPrefix(of: bytes, body)
    }
}

final class SealedByteTrie: @unchecked Sendable {
    // Unchecked: written only in `init`, read-only afterwards.
    /// Every node in one array, each contiguous so that a step of a lookup reads one place: its
    /// edge count, where its payloads start and how many there are, then per edge the key byte
    /// and the child's offset in this array. (Separate arrays per field cost a cache miss each
    /// per step once a trie outgrows the cache: a hundred thousand suffixes took twice as long
    /// to search as one.)
    private let words: UnsafeMutableBufferPointer<UInt32>
    private let payloads: UnsafeMutableBufferPointer<Int32>

    init(_ nodes: [(keys: [UInt8], next: [Int32], payload: [Int32])]) {
        var offsets: [Int] = []
        var size = 0
        for n in nodes {
            offsets.append(size)
            size += 3 + 2 * n.keys.count
        }
        var words: [UInt32] = []
        words.reserveCapacity(size)
        var flat: [Int32] = []
        for n in nodes {
            words.append(UInt32(n.keys.count))
            words.append(UInt32(flat.count))
            words.append(UInt32(n.payload.count))
            flat += n.payload
            for (k, child) in zip(n.keys, n.next) {
                words.append(UInt32(k))
                words.append(UInt32(offsets[Int(child)]))
            }
        }
        self.words = .copy(words)
        self.payloads = .copy(flat)
    }

    deinit {
        words.deallocate()
        payloads.deallocate()
    }

    @inline(__always)
    private func emitPayloads(_ node: Int, _ body: (Int32) -> Void) {
        var p = Int(words[node + 1])
        let end = p + Int(words[node + 2])
        while p < end {
            body(payloads[p])
            p += 1
        }
    }

    @inline(__always)
    func forEachPrefix<C: Sequence<UInt8>>(of bytes: C, _ body: (Int32) -> Void) {
        var node = 0
        emitPayloads(node, body)
        for b in bytes {
            var e = node + 3
            let end = e + 2 * Int(words[node])
            let key = UInt32(b)
            while e < end && words[e] != key { e += 2 }
            if e == end { return }
            node = Int(words[e + 1])
            emitPayloads(node, body)
        }
    }
}
