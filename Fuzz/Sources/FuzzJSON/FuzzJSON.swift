import EventPatterns
import FuzzSupport

/// A matcher whose rule reads nothing that fuzzed input is likely to hold, so its validating
/// scan passes over (and must check) every byte.
let validating: EventMatcher = {
    let m = EventMatcher()
    do { try m.addRule("r", pattern: #"{"zz-not-there":["x"]}"#) } catch { fatalError("\(error)") }
    return m
}()

/// The JSON scanner. Invariants: the tree parser and the matcher's validating scan accept the
/// same objects; a parsed value written back as JSON parses to the same value; errors point
/// inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let parsed = Result { () throws(JSONError) in try JSONParser.parse(bytes: bytes) }
    let scanned = Result { () throws(JSONError) in try validating.matches(event: bytes) }
    switch parsed {
    case .failure(let error):
        fuzzCheck(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside \(size) bytes: \(error)")
        if case .success = scanned { fuzzCheck(false, "the scan accepted what the parser rejects (\(error)): \(describe(bytes))") }
    case .success(let value):
        let isObject = if case .object = value { true } else { false }
        if case .failure(let error) = scanned, isObject {
            fuzzCheck(false, "the parser accepted an object the scan rejects (\(error)): \(describe(bytes))")
        }
        let text = value.jsonText
        let reparsed = try? JSONParser.parse(text)
        fuzzCheck(reparsed == value, "\(describe(bytes)) written as \(text) reads back as \(String(describing: reparsed))")
    }
    return 0
}
