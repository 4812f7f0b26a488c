#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Random version-4 UUID text ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower case, y one of
/// 8 9 a b), from the system's cryptographic generator.
enum RandomUUID {
    private static let hex = Array("0123456789abcdef".utf8)
    private static let pool = Mutex(RandomPool())

    static func make() -> String {
        var (high, low) = pool.withLock { $0.next() }
        high = (high & ~0xF000) | 0x4000  // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // variant 10
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var i = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[i] = hex[Int((value >> UInt64(shift)) & 0xF)]
                    i += 1
                }
            }
            func dash() {
                buffer[i] = UInt8(ascii: "-")
                i += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put(high >> 16, nibbles: 4)
            dash()
            put(high, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low, nibbles: 12)
            return i
        }
    }
}

/// Random words fetched from the system 4 KB at a time: three system calls per 256 ids instead
/// of two per id (a visible share of every accepted invocation and event).
private struct RandomPool {
    private var words = [UInt64](repeating: 0, count: 512)
    private var used = 512

    mutating func next() -> (UInt64, UInt64) {
        if used + 2 > words.count { refill() }
        defer { used += 2 }
        return (words[used], words[used + 1])
    }

    private mutating func refill() {
        words.withUnsafeMutableBytes { bytes in
            #if canImport(Glibc)
            // Glibc's module does not export getrandom(2); the device gives the same bytes.
            var filled = 0
            let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                while filled < bytes.count {
                    let n = read(fd, bytes.baseAddress! + filled, bytes.count - filled)
                    if n > 0 { filled += n } else if n == 0 || errno != EINTR { break }
                }
                close(fd)
            }
            if filled < bytes.count { Self.fillFromSwift(bytes) }
            #elseif canImport(Darwin)
            arc4random_buf(bytes.baseAddress!, bytes.count)
            #else
            Self.fillFromSwift(bytes)
            #endif
        }
        used = 0
    }

    /// The standard library's generator, word by word (where the bulk call is unavailable).
    private static func fillFromSwift(_ bytes: UnsafeMutableRawBufferPointer) {
        var generator = SystemRandomNumberGenerator()
        for i in 0..<(bytes.count / 8) { bytes.storeBytes(of: generator.next(), toByteOffset: i * 8, as: UInt64.self) }
    }
}
