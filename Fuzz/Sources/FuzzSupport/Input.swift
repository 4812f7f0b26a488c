/// Copies libFuzzer's input into an array (the engine's entry points take arrays or buffers;
/// a copy also makes ASan catch any read past the end of the fuzzer's buffer in our own code).
public func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}
