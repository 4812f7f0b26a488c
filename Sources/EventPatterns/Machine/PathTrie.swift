/// Every field path that some rule names, as a trie of key segments.
///
/// The flattener walks it while scanning an event: a member whose key leads nowhere in the trie
/// is skipped without being materialised. Keys are split on `.`, so `{"a.b": 1}` and
/// `{"a": {"b": 1}}` reach the same node, in events as in patterns. Built with `intern`, then
/// `seal`ed into flat arrays that lookups walk without copying or reference counting.
struct PathTrie: Sendable {
    private var building: [[(key: [UInt8], child: Int32)]] = [[]]
    private(set) var paths: [String] = []
    private var ids: [String: Int32] = [:]

    // Sealed form: node → range of edges; edges sorted by hash.
    private(set) var fieldID: [Int32] = [-1]
    private var edgeStart: [Int32] = [0, 0]
    private var edgeHash: [UInt64] = []
    private var edgeKeyStart: [Int32] = []
    private var edgeKeyLength: [Int32] = []
    private var edgeChild: [Int32] = []
    private var keyBytes: [UInt8] = []

    var fieldCount: Int { paths.count }

    /// Returns the id of `path`, adding it if new. Call `seal()` before lookups.
    mutating func intern(_ path: String) -> Int32 {
        if let id = ids[path] { return id }
        var node = 0
        for segment in path.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            let key = Array(segment)
            if let edge = building[node].first(where: { $0.key == key }) {
                node = Int(edge.child)
            } else {
                building.append([])
                fieldID.append(-1)
                building[node].append((key: key, child: Int32(building.count - 1)))
                node = building.count - 1
            }
        }
        let id = Int32(paths.count)
        paths.append(path)
        ids[path] = id
        fieldID[node] = id
        return id
    }

    func id(of path: String) -> Int32? { ids[path] }

    mutating func seal() {
        edgeStart = [0]
        edgeHash = []
        edgeKeyStart = []
        edgeKeyLength = []
        edgeChild = []
        keyBytes = []
        for edges in building {
            for e in edges.sorted(by: { PathTrie.hash($0.key) < PathTrie.hash($1.key) }) {
                edgeHash.append(PathTrie.hash(e.key))
                edgeKeyStart.append(Int32(keyBytes.count))
                edgeKeyLength.append(Int32(e.key.count))
                keyBytes.append(contentsOf: e.key)
                edgeChild.append(e.child)
            }
            edgeStart.append(Int32(edgeHash.count))
        }
    }

    /// How many distinct first segments the rule paths have.
    var rootEdgeCount: Int { Int(edgeStart[1] - edgeStart[0]) }

    /// The position of `node` among the root's children, if it is one.
    func rootIndex(of node: Int32) -> Int? {
        var i = Int(edgeStart[0])
        while i < Int(edgeStart[1]) {
            if edgeChild[i] == node { return i - Int(edgeStart[0]) }
            i += 1
        }
        return nil
    }

    @inline(__always)
    func hasChildren(_ node: Int) -> Bool { edgeStart[node + 1] > edgeStart[node] }

    @inline(__always)
    func child(of node: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var lo = Int(edgeStart[node])
        let hi = Int(edgeStart[node + 1])
        if lo == hi { return nil }
        let h = PathTrie.hash(key)
        while lo < hi {
            if edgeHash[lo] == h && Int(edgeKeyLength[lo]) == key.count {
                let start = Int(edgeKeyStart[lo])
                var same = true
                var k = 0
                while k < key.count {
                    if keyBytes[start + k] != key[k] {
                        same = false
                        break
                    }
                    k += 1
                }
                if same { return edgeChild[lo] }
            }
            lo += 1
        }
        return nil
    }

    /// Follows a whole member key from `node`, splitting it on dots.
    @inline(__always)
    func follow(_ node: Int, key: UnsafeBufferPointer<UInt8>) -> Int32? {
        if !hasChildren(node) { return nil }
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
