/// A trie over bytes whose nodes carry payloads, for prefix (and, fed reversed bytes, suffix)
/// lookups: walking a value visits the payload of every stored key that is a prefix of it.
struct ByteTrie: Sendable {
    struct Node: Sendable {
        var keys: [UInt8] = []
        var next: [Int32] = []
        var payload: [Int32] = []
    }

    private(set) var nodes: [Node] = [Node()]
    var isEmpty: Bool { nodes.count == 1 && nodes[0].payload.isEmpty }

    mutating func insert<C: Sequence<UInt8>>(_ key: C, _ payload: Int32) {
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

    /// Calls `body` with the payloads of every key that is a prefix of `bytes`.
    @inline(__always)
    func forEachPrefix<C: Sequence<UInt8>>(of bytes: C, _ body: (Int32) -> Void) {
        var n = 0
        for p in nodes[0].payload { body(p) }
        for b in bytes {
            let node = nodes[n]
            guard let i = node.keys.firstIndex(of: b) else { return }
            n = Int(node.next[i])
            for p in nodes[n].payload { body(p) }
        }
    }
}
