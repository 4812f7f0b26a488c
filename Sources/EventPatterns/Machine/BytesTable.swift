#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash table from byte strings to small integer payloads, looked up with
/// an unsafe buffer so that matching an exact string allocates nothing.
struct BytesTable: Sendable {
    private var keyBytes: [UInt8] = []
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var hashes: [UInt64] = []
    /// Slot → entry index, or -1.
    private var slots: [Int32] = []
    private(set) var values: [[Int32]] = []

    var isEmpty: Bool { values.isEmpty }

    static func hash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h ^ (h >> 29)
    }

    mutating func append(_ key: [UInt8], _ value: Int32) {
        if let entry = find(key) {
            values[entry].append(value)
            return
        }
        if (values.count + 1) * 2 > slots.count { grow() }
        let h = BytesTable.hash(key)
        keyStart.append(Int32(keyBytes.count))
        keyLength.append(Int32(key.count))
        keyBytes.append(contentsOf: key)
        hashes.append(h)
        values.append([value])
        place(Int32(values.count - 1), h)
    }

    private mutating func place(_ entry: Int32, _ h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = entry
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: max(16, slots.count * 2))
        for e in values.indices { place(Int32(e), hashes[e]) }
    }

    private func find<C: Collection<UInt8>>(_ key: C) -> Int? {
        guard !slots.isEmpty else { return nil }
        let h = BytesTable.hash(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            if hashes[e] == h && Int(keyLength[e]) == key.count && keyEquals(e, key) { return e }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func keyEquals<C: Collection<UInt8>>(_ e: Int, _ key: C) -> Bool {
        let start = Int(keyStart[e])
        return keyBytes.withUnsafeBufferPointer { all in
            // Contiguous keys (the lookups while matching) are compared in place.
            let contiguous = key.withContiguousStorageIfAvailable { k in
                k.isEmpty || memcmp(all.baseAddress! + start, k.baseAddress!, k.count) == 0
            }
            return contiguous ?? UnsafeBufferPointer(rebasing: all[start..<start + key.count]).elementsEqual(key)
        }
    }

    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> [Int32]? {
        find(key).map { values[$0] }
    }
}
