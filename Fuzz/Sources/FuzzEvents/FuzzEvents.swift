import EventPatterns
import FuzzSupport

/// Built once; the matchers are safe to share (the fuzzer calls us from one thread anyway).
let validating = RuleSet.matcher(.validating)
let stopEarly = RuleSet.matcher(.stopEarly)

/// Inputs up to this size are also checked against the reference matcher, which is brute force.
let referenceLimit = 512

/// Event bytes against every operator. Invariants: an event the validating scan accepts is
/// matched the same by the stop-early scan, by the parsed-value entry point and, when small,
/// by the tests' reference matcher (on the events it can judge, see `ReferenceDomain`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvents(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let fast = Result { () throws(JSONError) in try stopEarly.matches(event: bytes) }
    guard let names = try? validating.matches(event: bytes) else { return 0 }
    fuzzCheck(
        (try? fast.get()) == names,
        "validating gave \(names), stop-early gave \(fast) for \(describe(bytes))")
    guard let parsed = try? JSONParser.parse(bytes: bytes) else {
        fuzzCheck(false, "the validating scan accepted what the parser rejects: \(describe(bytes))")
        return 0
    }
    let fromValue = validating.matches(event: parsed)
    fuzzCheck(fromValue == names, "bytes gave \(names), the parsed value gave \(fromValue) for \(describe(bytes))")
    if size <= referenceLimit && ReferenceDomain.contains(parsed) {
        let expected = RuleSet.patterns.filter { ReferenceMatcher.matches(pattern: $0.json, event: parsed) }.map(\.name)
        fuzzCheck(
            Set(expected) == Set(names),
            "compiled matcher gave \(names), the reference \(expected) for \(describe(bytes))")
    }
    return 0
}
