/// Every field path that some rule names, as a trie of key segments.
///
/// The flattener walks it while scanning an event: a member whose key leads nowhere in the trie
/// is skipped without being materialised. Keys are split on `.`, so `{"a.b": 1}` and
/// `{"a": {"b": 1}}` reach the same node, in events as in patterns.
struct PathTrie: Sendable {
    struct Node: Sendable {
        /// Children sorted by (hash, key) for binary search without allocating.
        var childHashes: [UInt64] = []
        var childKeys: [[UInt8]] = []
        var childNodes: [Int32] = []
        /// The field id when a rule names this exact path, else -1.
        var fieldID: Int32 = -1
    }

    private(set) var nodes: [Node] = [Node()]
    private(set) var paths: [String] = []
    private var ids: [String: Int32] = [:]

    var fieldCount: Int { paths.count }

    /// Returns the id of `path`, adding it if new.
    mutating func intern(_ path: String) -> Int32 {
        if let id = ids[path] { return id }
        var node = 0
        for segment in path.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            let key = Array(segment)
            if let child = child(of: node, key[...]) {
                node = Int(child)
            } else {
                let new = Int32(nodes.count)
                nodes.append(Node())
                let h = PathTrie.hash(key[...])
                var insertAt = 0
                while insertAt < nodes[node].childHashes.count && nodes[node].childHashes[insertAt] < h { insertAt += 1 }
                nodes[node].childHashes.insert(h, at: insertAt)
                nodes[node].childKeys.insert(key, at: insertAt)
                nodes[node].childNodes.insert(new, at: insertAt)
                node = Int(new)
            }
        }
        let id = Int32(paths.count)
        paths.append(path)
        ids[path] = id
        nodes[node].fieldID = id
        return id
    }

    func id(of path: String) -> Int32? { ids[path] }

    @inline(__always)
    func child<C: Collection<UInt8>>(of node: Int, _ key: C) -> Int32? {
        let n = nodes[node]
        if n.childHashes.isEmpty { return nil }
        let h = PathTrie.hash(key)
        var lo = 0
        var hi = n.childHashes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if n.childHashes[mid] < h { lo = mid + 1 } else { hi = mid }
        }
        while lo < n.childHashes.count && n.childHashes[lo] == h {
            if n.childKeys[lo].elementsEqual(key) { return n.childNodes[lo] }
            lo += 1
        }
        return nil
    }

    /// Follows a whole member key from `node`, splitting it on dots.
    @inline(__always)
    func follow(_ node: Int, key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var current = node
        var start = 0
        var i = 0
        while i <= key.count {
            if i == key.count || key[i] == UInt8(ascii: ".") {
                guard let next = child(of: current, UnsafeBufferPointer(rebasing: key[start..<i])) else { return nil }
                current = Int(next)
                start = i + 1
            }
            i += 1
        }
        return Int32(current)
    }

    func hasChildren(_ node: Int) -> Bool { !nodes[node].childHashes.isEmpty }

    @inline(__always)
    static func hash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
