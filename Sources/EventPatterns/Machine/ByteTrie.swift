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
    // Per node: [edgeStart, edgeEnd) into edgeKey/edgeNext, [payloadStart, payloadEnd) into payloads.
    private let edgeStart: UnsafeMutableBufferPointer<Int32>
    private let payloadStart: UnsafeMutableBufferPointer<Int32>
    private let edgeKey: UnsafeMutableBufferPointer<UInt8>
    private let edgeNext: UnsafeMutableBufferPointer<Int32>
    private let payloads: UnsafeMutableBufferPointer<Int32>

    init(_ nodes: [(keys: [UInt8], next: [Int32], payload: [Int32])]) {
        var es: [Int32] = [0]
        var ps: [Int32] = [0]
        var keys: [UInt8] = []
        var next: [Int32] = []
        var payloads: [Int32] = []
        for n in nodes {
            keys += n.keys
            next += n.next
            payloads += n.payload
            es.append(Int32(keys.count))
            ps.append(Int32(payloads.count))
        }
        edgeStart = .copy(es)
        payloadStart = .copy(ps)
        edgeKey = .copy(keys)
        edgeNext = .copy(next)
        self.payloads = .copy(payloads)
    }

    deinit {
        edgeStart.deallocate()
        payloadStart.deallocate()
        edgeKey.deallocate()
        edgeNext.deallocate()
        payloads.deallocate()
    }

    @inline(__always)
    func forEachPrefix<C: Sequence<UInt8>>(of bytes: C, _ body: (Int32) -> Void) {
        var n = 0
        var p = Int(payloadStart[0])
        while p < Int(payloadStart[1]) {
            body(payloads[p])
            p += 1
        }
        for b in bytes {
            var e = Int(edgeStart[n])
            let end = Int(edgeStart[n + 1])
            while e < end && edgeKey[e] != b { e += 1 }
            if e == end { return }
            n = Int(edgeNext[e])
            p = Int(payloadStart[n])
            while p < Int(payloadStart[n + 1]) {
                body(payloads[p])
                p += 1
            }
        }
    }
}
