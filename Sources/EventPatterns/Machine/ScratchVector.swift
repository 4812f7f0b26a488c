/// A growable array of plain values in memory its owner frees explicitly (`free()`).
///
/// The match walk's bookkeeping lives in these rather than in `Array`s: every append or store
/// into an `Array` held in an `inout` struct checks that the buffer is uniquely referenced and
/// retains it around calls, which cost more than the stores themselves on the hot path. Indexes
/// are ids the automaton assigned, so they are checked only in debug builds.
struct ScratchVector<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    var isEmpty: Bool { count == 0 }

    subscript(i: Int) -> Element {
        @inline(__always) get {
            assert(i >= 0 && i < count)
            return base.unsafelyUnwrapped[i]
        }
        @inline(__always) nonmutating set {
            assert(i >= 0 && i < count)
            base.unsafelyUnwrapped[i] = newValue
        }
    }

    /// The live elements, for loops and in-place sorting.
    var buffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ x: Element) {
        if count == capacity { grow(to: Swift.max(16, capacity * 2)) }
        base.unsafelyUnwrapped[count] = x
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf xs: UnsafeBufferPointer<Element>) {
        if xs.isEmpty { return }
        if count + xs.count > capacity { grow(to: Swift.max(16, 2 * (count + xs.count))) }
        // A loop, not `update(from:)`: the copies here are a few elements, where a call to
        // memcpy costs more than the stores.
        let to = base.unsafelyUnwrapped + count
        var i = 0
        while i < xs.count {
            to[i] = xs[i]
            i += 1
        }
        count += xs.count
    }

    @inline(__always)
    mutating func removeLast() {
        assert(count > 0)
        count -= 1
    }

    mutating func removeLast(_ k: Int) {
        assert(count >= k)
        count -= k
    }

    mutating func removeAll() { count = 0 }

    /// Makes it `n` elements long, every one `value`.
    mutating func reset(count n: Int, to value: Element) {
        if n > capacity { grow(to: n) }
        count = n
        if n > 0 { base.unsafelyUnwrapped.update(repeating: value, count: n) }
    }

    private mutating func grow(to newCapacity: Int) {
        let new = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            new.update(from: base, count: count)
            base.deallocate()
        }
        base = new
        capacity = newCapacity
    }

    /// Releases the memory; the vector is empty afterwards.
    mutating func free() {
        base?.deallocate()
        base = nil
        count = 0
        capacity = 0
    }
}
