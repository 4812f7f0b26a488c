/// A hash table from byte strings to short lists of small integers, for exact-string lookups.
///
/// Built with `append`, then `seal`ed into flat unmanaged buffers laid out for lookups: each
/// slot holds a 32-bit hash tag beside its entry, so a probe that finds nothing touches one
/// cache line, and a hit reads the entry, its key bytes and its values from three more. Sealing
/// drops the build arrays, and looking up allocates nothing.
struct BytesTable: Sendable {
    private var keys: [[UInt8]] = []
    private var values: [[Int32]] = []
    private var index: [[UInt8]: Int] = [:]
    private var sealed: SealedBytesTable?
    private(set) var isEmpty = true

    mutating func append(_ key: [UInt8], _ value: Int32) {
        precondition(sealed == nil, "a sealed BytesTable is read-only")
        isEmpty = false
        if let entry = index[key] {
            values[entry].append(value)
        } else {
            index[key] = keys.count
            keys.append(key)
            values.append([value])
        }
    }

    /// Freezes the table for lookups; nothing may be appended afterwards.
    mutating func seal() {
        if !keys.isEmpty { sealed = SealedBytesTable(keys: keys, values: values) }
        keys = []
        values = []
        index = [:]
    }

    /// The values stored under `key` (none before `seal`). The buffer lives as long as the table.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<Int32>? {
        sealed?.lookup(key)
    }
}

final class SealedBytesTable: @unchecked Sendable {
    // Unchecked: written only in `init`, read-only afterwards.
    private struct Entry {
        var keyStart: Int32
        var keyLength: Int32
        var valueStart: Int32
        var valueCount: Int32
    }

    /// Per slot: the hash's upper 32 bits, then entry index + 1 (0: an empty slot).
    private let slots: UnsafeMutableBufferPointer<UInt64>
    private let entries: UnsafeMutableBufferPointer<Entry>
    private let keyBytes: UnsafeMutableBufferPointer<UInt8>
    private let values: UnsafeMutableBufferPointer<Int32>
    private let mask: Int

    init(keys: [[UInt8]], values: [[Int32]]) {
        var capacity = 16
        while capacity < keys.count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0)
        var entryList: [Entry] = []
        var bytes: [UInt8] = []
        var flat: [Int32] = []
        for (i, key) in keys.enumerated() {
            entryList.append(
                Entry(
                    keyStart: Int32(bytes.count), keyLength: Int32(key.count), valueStart: Int32(flat.count),
                    valueCount: Int32(values[i].count)))
            bytes += key
            flat += values[i]
            let h = key.withUnsafeBufferPointer(Self.hash)
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(i + 1)
        }
        entries = .copy(entryList)
        keyBytes = .copy(bytes)
        self.values = .copy(flat)
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        keyBytes.deallocate()
        values.deallocate()
    }

    /// Eight bytes at a time, each word mixed in with a multiply (a byte-at-a-time hash is a
    /// chain of one multiply per byte), then folded so the low bits (the slot) and the high
    /// bits (the tag) both depend on every byte. Keys of 8 bytes or more end with their last
    /// eight bytes, overlapping the words before.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        if n > 0, let base = bytes.baseAddress {
            @inline(__always) func mix(_ w: UInt64) {
                h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
            }
            var i = 0
            while i + 8 <= n {
                mix(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                i += 8
            }
            if i < n {
                if n >= 8 {
                    mix(UnsafeRawPointer(base + n - 8).loadUnaligned(as: UInt64.self))
                } else {
                    var w: UInt64 = 0
                    while i < n {
                        w = w << 8 | UInt64(base[i])
                        i += 1
                    }
                    mix(w)
                }
            }
        }
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<Int32>? {
        let h = Self.hash(key)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[s]
            if slot == 0 { return nil }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let e = entries[Int(slot & 0xFFFF_FFFF) - 1]
                if Int(e.keyLength) == key.count
                    && SealedPathTrie.equal(keyBytes.baseAddress! + Int(e.keyStart), key.baseAddress, key.count)
                {
                    return UnsafeBufferPointer(rebasing: values[Int(e.valueStart)..<Int(e.valueStart + e.valueCount)])
                }
            }
            s = (s + 1) & mask
        }
    }
}
