import CStructuralSkip

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

    private(set) var fieldID: [Int32] = [-1]
    /// The flat, read-only form lookups use; built by `seal()`.
    private(set) var sealed = SealedPathTrie(building: [[]], fieldID: [-1], subtreeFields: [[]], fieldCount: 0)

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
        // Field ids in each node's subtree, children before parents (nodes are created in
        // path order, so a child's index is always larger than its parent's).
        var under = fieldID.map { $0 >= 0 ? [$0] : [] }
        for node in building.indices.reversed() {
            for edge in building[node] { under[node] += under[Int(edge.child)] }
        }
        sealed = SealedPathTrie(
            building: building.map { $0.map { ($0.key, $0.child) } }, fieldID: fieldID, subtreeFields: under,
            fieldCount: paths.count)
    }

    var rootEdgeCount: Int { sealed.edgeCount(of: 0) }
    func rootIndex(of node: Int32) -> Int? { sealed.rootIndex(of: node) }

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

/// The trie's edges in flat unmanaged buffers: walking them costs no reference counting.
/// Immutable after `init`, freed with the automaton.
final class SealedPathTrie: @unchecked Sendable {
    private let edgeStart: UnsafeMutableBufferPointer<Int32>
    private let edgeKeyStart: UnsafeMutableBufferPointer<Int32>
    private let edgeKeyLength: UnsafeMutableBufferPointer<Int32>
    private let edgeChild: UnsafeMutableBufferPointer<Int32>
    /// Per edge: the field id of its child (-1 for none), for `ef_scan_members` to record.
    private let edgeField: UnsafeMutableBufferPointer<Int32>
    private let keyBytes: UnsafeMutableBufferPointer<UInt8>
    /// Per node: whether a child has children of its own; only then can a dotted member name
    /// (`"a.b"`) lead anywhere from it.
    private let hasGrandchildren: UnsafeMutableBufferPointer<Bool>
    /// Per node: the field id ending there (-1 for none), and the field ids at or below it.
    let fieldID: [Int32]
    /// The field ids at or below each node, flat: node n's are `subtreeIDs[subtreeStart[n]..<subtreeStart[n + 1]]`.
    private let subtreeStart: UnsafeMutableBufferPointer<Int32>
    private let subtreeIDs: UnsafeMutableBufferPointer<Int32>
    let fieldCount: Int

    @inline(__always) func hasChildren(_ node: Int) -> Bool { edgeCount(of: node) > 0 }
    /// Calls `body` with each field id at or below `node`.
    @inline(__always) func forEachFieldUnder(_ node: Int, _ body: (Int) -> Void) {
        var i = Int(subtreeStart[node])
        let end = Int(subtreeStart[node + 1])
        while i < end {
            body(Int(subtreeIDs[i]))
            i += 1
        }
    }

    init(building: [[(key: [UInt8], child: Int32)]], fieldID: [Int32], subtreeFields: [[Int32]], fieldCount: Int) {
        self.fieldID = fieldID
        var subtreeStarts: [Int32] = [0]
        var ids: [Int32] = []
        for list in subtreeFields {
            ids.append(contentsOf: list)
            subtreeStarts.append(Int32(ids.count))
        }
        subtreeStart = .copy(subtreeStarts)
        subtreeIDs = .copy(ids)
        self.fieldCount = fieldCount
        var starts: [Int32] = [0]
        var keyStarts: [Int32] = []
        var keyLengths: [Int32] = []
        var children: [Int32] = []
        var bytes: [UInt8] = []
        hasGrandchildren = .copy(building.map { edges in edges.contains { !building[Int($0.child)].isEmpty } })
        for edges in building {
            for e in edges {
                keyStarts.append(Int32(bytes.count))
                keyLengths.append(Int32(e.key.count))
                bytes.append(contentsOf: e.key)
                children.append(e.child)
            }
            starts.append(Int32(children.count))
        }
        edgeStart = .copy(starts)
        edgeKeyStart = .copy(keyStarts)
        edgeKeyLength = .copy(keyLengths)
        edgeChild = .copy(children)
        edgeField = .copy(children.map { fieldID[Int($0)] })
        keyBytes = .copy(bytes)
    }

    deinit {
        edgeStart.deallocate()
        edgeKeyStart.deallocate()
        edgeKeyLength.deallocate()
        edgeChild.deallocate()
        edgeField.deallocate()
        keyBytes.deallocate()
        subtreeStart.deallocate()
        hasGrandchildren.deallocate()
        subtreeIDs.deallocate()
    }

    @inline(__always)
    func edgeCount(of node: Int) -> Int { Int(edgeStart[node + 1] - edgeStart[node]) }

    func rootIndex(of node: Int32) -> Int? {
        var i = Int(edgeStart[0])
        while i < Int(edgeStart[1]) {
            if edgeChild[i] == node { return i - Int(edgeStart[0]) }
            i += 1
        }
        return nil
    }

    /// The child of `node` along `key`. Nodes have few children in practice, so a linear scan
    /// comparing lengths first beats hashing.
    @inline(__always)
    func child(of node: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var i = Int(edgeStart[node])
        let end = Int(edgeStart[node + 1])
        let n = key.count
        while i < end {
            if Int(edgeKeyLength[i]) == n && Self.equal(keyBytes.baseAddress! + Int(edgeKeyStart[i]), key.baseAddress, n) {
                return edgeChild[i]
            }
            i += 1
        }
        return nil
    }

    /// Reads an object's members at `node` in C from `pos`, skipping those no edge names (see
    /// `ef_scan_members`); `edge` in the result indexes the node's edges (`child(of:edge:)`).
    @inline(__always)
    /// With `scalars`, wanted members' scalar values are recorded there (see `ef_scan_members`).
    func scanMembers(
        _ node: Int, _ bytes: UnsafeBufferPointer<UInt8>, from pos: Int, scalars: UnsafeMutableBufferPointer<ef_scalar>?,
        recorded: inout Int, validating: Bool, valueDepth: Int, maxDepth: Int
    ) -> ef_member_scan {
        guard let scalars else {
            return ef_scan_members(
                bytes.baseAddress, bytes.count, pos, keyBytes.baseAddress, edgeKeyStart.baseAddress,
                edgeKeyLength.baseAddress, Int(edgeStart[node]), Int(edgeStart[node + 1]), hasGrandchildren[node] ? 1 : 0,
                validating ? 1 : 0, valueDepth, maxDepth)
        }
        return ef_scan_members_recording(
            bytes.baseAddress, bytes.count, pos, keyBytes.baseAddress, edgeKeyStart.baseAddress, edgeKeyLength.baseAddress,
            Int(edgeStart[node]), Int(edgeStart[node + 1]), edgeField.baseAddress, scalars.baseAddress, scalars.count,
            &recorded, hasGrandchildren[node] ? 1 : 0, validating ? 1 : 0, valueDepth, maxDepth)
    }

    @inline(__always)
    func child(of node: Int, edge: Int) -> Int32 { edgeChild[Int(edgeStart[node]) + edge] }

    /// Byte equality, eight bytes at a time.
    @inline(__always)
    static func equal(_ a: UnsafeMutablePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
        guard n > 0, let b else { return n == 0 }
        var k = 0
        while k + 8 <= n {
            if UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self) {
                return false
            }
            k += 8
        }
        while k < n {
            if a[k] != b[k] { return false }
            k += 1
        }
        return true
    }

    @inline(__always)
    static func hasDot(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = key.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i + 8 <= key.count {
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ (ones &* 0x2E)
            if (x &- ones) & ~x & 0x8080_8080_8080_8080 != 0 { return true }
            i += 8
        }
        while i < key.count {
            if base[i] == UInt8(ascii: ".") { return true }
            i += 1
        }
        return false
    }

    /// Follows a whole member key from `node`, splitting it on dots.
    @inline(__always)
    func follow(_ node: Int, key: UnsafeBufferPointer<UInt8>) -> Int32? {
        if edgeCount(of: node) == 0 { return nil }
        // Edges never hold a dot, so a plain key is answered by one lookup, and a key that
        // matches no edge needs the dotted walk only if it has a dot.
        if let direct = child(of: node, key) { return direct }
        if !hasGrandchildren[node] || !Self.hasDot(key) { return nil }
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
}
