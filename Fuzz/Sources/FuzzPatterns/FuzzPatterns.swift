import EventPatterns
import FuzzSupport

/// A few events with every kind of value, for the patterns that compile to be matched against.
let probeEvents: [[UInt8]] = [
    #"{"a":"x","n":5,"b":true,"s":"ab1b","ip":"10.1.2.3","o":[{"k":"x","v":3},{"k":"ab"}]}"#,
    #"{"detail":{"state":"running","count":12,"tags":["a","b"],"x":null},"source":"aws.ec2"}"#,
    #"{"a":{"b":{"c":[1,2.5,-3e2]}},"c":"ÉB","d":[[{"e":"z"}]],"f":""}"#,
].map { Array($0.utf8) }

/// Pattern text through validation and compilation. Invariants: a pattern that validates also
/// validates when written back as JSON, compiles into a matcher, and matches each probe event
/// the same alone, in a matcher, and in both scanning modes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPatterns(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    guard let pattern = try? EventPattern(utf8: bytes) else { return 0 }
    let written = pattern.json.jsonText
    let again: EventPattern
    do {
        again = try EventPattern(written)
    } catch {
        fuzzCheck(false, "\(describe(bytes)) validates but its JSON text \(written) does not: \(error)")
        return 0
    }
    fuzzCheck(again == pattern, "\(describe(bytes)) read back from \(written) differs")
    let validating = EventMatcher()
    let stopEarly = EventMatcher(scanning: .stopEarly)
    validating.addRule("p", pattern: pattern)
    stopEarly.addRule("p", pattern: pattern)
    for event in probeEvents {
        let alone = (try? pattern.matches(eventJSON: event)) == true
        let inMatcher = (try? validating.matches(event: event)) == ["p"]
        let early = (try? stopEarly.matches(event: event)) == ["p"]
        fuzzCheck(
            alone == inMatcher && inMatcher == early,
            "pattern \(describe(bytes)) on \(describe(event)): alone \(alone), matcher \(inMatcher), stop-early \(early)")
    }
    return 0
}
