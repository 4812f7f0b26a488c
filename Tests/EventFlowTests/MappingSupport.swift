import EventFlow

/// Collects the batches a mapping delivered, as lists of one field per record.
actor BatchLog {
    var batches: [[String]] = []
    var payloads: [JSONValue] = []
    func record(_ payload: JSONValue, field: (JSONValue) -> String) {
        payloads.append(payload)
        batches.append((payload["Records"]?.arrayValue ?? []).map(field))
    }
}

struct Poison: Error, CustomStringConvertible {
    var description: String { "poison record" }
}

extension JSONValue {
    /// The SQS body of a record.
    var sqsBody: String { self["body"]?.stringValue ?? "?" }
    /// The decoded Kinesis data of a record.
    var kinesisText: String {
        guard let b64 = self["kinesis"]?["data"]?.stringValue, let bytes = decodeBase64(b64) else { return "?" }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private func decodeBase64(_ s: String) -> [UInt8]? {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var table = [Int](repeating: -1, count: 256)
    for (i, c) in alphabet.enumerated() { table[Int(c)] = i }
    var out: [UInt8] = []
    var buffer = 0
    var bits = 0
    for c in s.utf8 where c != UInt8(ascii: "=") {
        let v = table[Int(c)]
        if v < 0 { return nil }
        buffer = buffer << 6 | v
        bits += 6
        if bits >= 8 {
            bits -= 8
            out.append(UInt8((buffer >> bits) & 0xff))
        }
    }
    return out
}

extension Harness {
    /// A function that logs each batch it receives (one field per record) and succeeds.
    func recorder(_ name: String, _ log: BatchLog, _ field: @escaping @Sendable (JSONValue) -> String) throws -> LambdaFunction<JSONValue, JSONValue> {
        try LambdaFunction<JSONValue, JSONValue>(name: name, runtime: runtime) { payload, _ in
            await log.record(payload, field: field)
            return .null
        }
    }
}
