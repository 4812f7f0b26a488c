import EventPatterns
import Foundation

/// The records of a batch exactly as Lambda delivers them (`{"Records": [...]}`), and the
/// failure record a stream mapping sends to its on-failure destination.
enum BatchRecords {
    static func payload(_ records: [JSONValue]) -> JSONValue { ["Records": .array(records)] }

    static func sqs(_ m: Queue.Message, queue: Queue, runtime: EventFlowRuntime) -> JSONValue {
        let attributes: JSONValue = [
            "ApproximateReceiveCount": .string(String(m.receiveCount)),
            "SentTimestamp": .string(String(epochMillis(m.sentAt, runtime))),
            "SenderId": .string(runtime.account),
            "ApproximateFirstReceiveTimestamp": .string(String(epochMillis(m.firstReceivedAt ?? m.sentAt, runtime))),
        ]
        let messageAttributes = JSONValue.object(
            m.attributes.keys.sorted().map { key in
                let a = m.attributes[key]!
                return JSONMember(
                    key,
                    [
                        "stringValue": .string(a.stringValue), "stringListValues": [], "binaryListValues": [],
                        "dataType": .string(a.dataType),
                    ])
            })
        return [
            "messageId": .string(m.messageId),
            "receiptHandle": .string(m.receiptHandle),
            "body": .string(m.body),
            "attributes": attributes,
            "messageAttributes": messageAttributes,
            "md5OfBody": .string(MD5.hex(m.body.utf8)),
            "eventSource": "aws:sqs",
            "eventSourceARN": .string(queue.arn),
            "awsRegion": .string(runtime.region),
        ]
    }

    static func kinesis(_ r: DataStream.Record, stream: DataStream, runtime: EventFlowRuntime) -> JSONValue {
        [
            "kinesis": [
                "kinesisSchemaVersion": "1.0",
                "partitionKey": .string(r.partitionKey),
                "sequenceNumber": .string(r.sequenceNumber),
                "data": .string(Data(r.data).base64EncodedString()),
                "approximateArrivalTimestamp": .number(JSONNumber(text: epochSeconds(r.arrivedAt, runtime))),
            ],
            "eventSource": "aws:kinesis",
            "eventVersion": "1.0",
            "eventID": .string("\(r.shardId):\(r.sequenceNumber)"),
            "eventName": "aws:kinesis:record",
            "invokeIdentityArn": .string("arn:aws:iam::\(runtime.account):role/lambda-role"),
            "awsRegion": .string(runtime.region),
            "eventSourceARN": .string(stream.arn),
        ]
    }

    static func dynamodb(_ r: DataStream.Record, stream: DataStream, runtime: EventFlowRuntime) -> JSONValue {
        let change = r.change ?? .object([])
        var image: [JSONMember] = [
            JSONMember(
                "ApproximateCreationDateTime",
                .number(JSONNumber(Int(runtime.clock.date(at: r.arrivedAt).timeIntervalSince1970))))
        ]
        let members = change["dynamodb"]?.objectMembers ?? []
        image += members
        image.append(JSONMember("SequenceNumber", .string(r.sequenceNumber)))
        image.append(JSONMember("SizeBytes", .number(JSONNumber(members.reduce(0) { $0 + $1.value.jsonText.utf8.count }))))
        image.append(JSONMember("StreamViewType", "NEW_AND_OLD_IMAGES"))
        return [
            "eventID": .string(MD5.hex("\(r.shardId):\(r.sequenceNumber)".utf8)),
            "eventName": change["eventName"] ?? "INSERT",
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": .string(runtime.region),
            "dynamodb": .object(image),
            "eventSourceARN": .string(stream.arn),
        ]
    }

    /// Whole milliseconds since 1970 at `offset` on the runtime's clock (SQS timestamps).
    static func epochMillis(_ offset: Duration, _ runtime: EventFlowRuntime) -> Int64 {
        Int64((runtime.clock.date(at: offset).timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Seconds since 1970 with milliseconds, as Kinesis prints `approximateArrivalTimestamp`.
    static func epochSeconds(_ offset: Duration, _ runtime: EventFlowRuntime) -> String {
        let ms = epochMillis(offset, runtime)
        let fraction = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// Why a stream mapping gave up on a batch.
    enum StreamCondition: String {
        case retryAttemptsExhausted = "RetryAttemptsExhausted"
        case recordAgeExceeded = "RecordAgeExceeded"
    }

    /// The on-failure record: no record payloads, an unqualified function ARN, and no
    /// `responseContext` for `RecordAgeExceeded` (as observed on AWS).
    static func streamFailure(
        requestId: String, functionArn: String, condition: StreamCondition, invokeCount: Int, timestamp: Date,
        batch: [DataStream.Record], stream: DataStream, runtime: EventFlowRuntime
    ) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember(
                "requestContext",
                [
                    "requestId": .string(requestId), "functionArn": .string(functionArn),
                    "condition": .string(condition.rawValue), "approximateInvokeCount": .number(JSONNumber(invokeCount)),
                ])
        ]
        if condition == .retryAttemptsExhausted {
            members.append(
                JSONMember("responseContext", ["statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"]))
        }
        members.append(JSONMember("version", "1.0"))
        members.append(JSONMember("timestamp", .string(AWSTime.milliseconds(timestamp))))
        let first = batch.first!, last = batch.last!
        let info: JSONValue = [
            "shardId": .string(first.shardId),
            "startSequenceNumber": .string(first.sequenceNumber),
            "endSequenceNumber": .string(last.sequenceNumber),
            "approximateArrivalOfFirstRecord": .string(AWSTime.milliseconds(runtime.clock.date(at: first.arrivedAt))),
            "approximateArrivalOfLastRecord": .string(AWSTime.milliseconds(runtime.clock.date(at: last.arrivedAt))),
            "batchSize": .number(JSONNumber(batch.count)),
            "streamArn": .string(stream.arn),
        ]
        members.append(JSONMember(stream.kind == .kinesis ? "KinesisBatchInfo" : "DDBStreamBatchInfo", info))
        return .object(members)
    }
}

/// A function's answer to `ReportBatchItemFailures`.
enum BatchItemFailures: Equatable {
    /// Every record succeeded.
    case none
    /// Only these identifiers (message ids or sequence numbers) failed.
    case some([String])
    /// The whole batch counts as failed (a malformed or unknown identifier, or a bad response).
    case all

    /// Reads a response as Lambda does: empty or null list, or an empty or null response, is
    /// full success; an identifier that is empty, null, under another key or not in the batch
    /// fails the whole batch.
    static func parse(_ response: JSONValue, known: Set<String>) -> BatchItemFailures {
        switch response {
        case .null: return .none
        case .object(let members):
            if members.isEmpty { return .none }
            guard let list = response["batchItemFailures"] else { return .none }
            if case .null = list { return .none }
            guard let items = list.arrayValue else { return .all }
            if items.isEmpty { return .none }
            var ids: [String] = []
            for item in items {
                guard let id = item["itemIdentifier"]?.stringValue, !id.isEmpty, known.contains(id) else { return .all }
                ids.append(id)
            }
            return .some(ids)
        default:
            return .all
        }
    }
}
