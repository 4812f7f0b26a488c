extension UnsafeMutableBufferPointer {
    /// A newly allocated copy of `array` (at least one element long, so it is never empty);
    /// the owner deallocates it.
    static func copy(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let p = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(1, array.count))
        _ = p.initialize(from: array)
        return p
    }
}
