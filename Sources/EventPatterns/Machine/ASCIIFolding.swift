/// Lower-casing of ASCII values, eight bytes at a time: the ignore-case lookups fold every
/// string value they see.
enum ASCIIFolding {
    /// Writes `source` lower-cased (A–Z only) to `destination`, which has room for it; false
    /// when some byte is not ASCII (`destination` is then partly written, and the value needs
    /// the full case folding).
    @inline(__always)
    static func fold(_ source: UnsafeBufferPointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>) -> Bool {
        let n = source.count
        guard let s = source.baseAddress else { return true }
        var i = 0
        while i + 8 <= n {
            let w = UnsafeRawPointer(s + i).loadUnaligned(as: UInt64.self)
            if w & 0x8080_8080_8080_8080 != 0 { return false }
            // Per byte b < 0x80, with no carry between bytes: b + 0x3F has its top bit set from
            // 'A' up, b + 0x25 from '[' up; the bytes between get 0x20.
            let fromA = w &+ 0x3F3F_3F3F_3F3F_3F3F
            let pastZ = w &+ 0x2525_2525_2525_2525
            let upper = fromA & ~pastZ & 0x8080_8080_8080_8080
            UnsafeMutableRawPointer(destination + i).storeBytes(of: w | (upper >> 2), as: UInt64.self)
            i += 8
        }
        while i < n {
            let b = s[i]
            if b >= 0x80 { return false }
            destination[i] = b &- 0x41 < 26 ? b | 0x20 : b
            i += 1
        }
        return true
    }

    /// Calls `body` with `bytes` lower-cased (in a temporary buffer) when they are all ASCII;
    /// false, without calling it, for any other value.
    @inline(__always)
    static func withFolded(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { buffer in
            guard fold(bytes, into: buffer.baseAddress!) else { return false }
            body(UnsafeBufferPointer(rebasing: buffer[..<bytes.count]))
            return true
        }
    }
}
