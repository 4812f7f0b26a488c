import EventPatterns
import Foundation

/// The JSON record Lambda sends to destinations after an asynchronous invocation, in AWS's key
/// order: version, timestamp, requestContext, requestPayload, responseContext, responsePayload.
enum InvocationRecord {
    enum Condition: String, Sendable {
        case success = "Success"
        case retriesExhausted = "RetriesExhausted"
        case eventAgeExceeded = "EventAgeExceeded"
        case zeroReservedConcurrency = "ZeroReservedConcurrency"
    }

    /// What the last attempt produced, when there was one.
    struct Response: Sendable {
        var executedVersion: String
        /// "Handled" / "Unhandled" on failure, nil on success.
        var functionError: String?
        var payload: JSONValue
    }

    static func make(
        timestamp: Date, requestId: String, functionArn: String, condition: Condition, invokeCount: Int,
        requestPayload: JSONValue, response: Response?
    ) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("version", "1.0"),
            JSONMember("timestamp", .string(AWSTime.milliseconds(timestamp))),
            JSONMember(
                "requestContext",
                .object([
                    JSONMember("requestId", .string(requestId)), JSONMember("functionArn", .string(functionArn)),
                    JSONMember("condition", .string(condition.rawValue)),
                    JSONMember("approximateInvokeCount", .number(JSONNumber(invokeCount))),
                ])),
            JSONMember("requestPayload", requestPayload),
        ]
        if let response {
            var context: [JSONMember] = [
                JSONMember("statusCode", 200), JSONMember("executedVersion", .string(response.executedVersion)),
            ]
            if let e = response.functionError { context.append(JSONMember("functionError", .string(e))) }
            members.append(JSONMember("responseContext", .object(context)))
            members.append(JSONMember("responsePayload", response.payload))
        }
        return .object(members)
    }

    /// The record with both payloads removed, for destinations whose size limit it exceeds
    /// ("Lambda will drop the payload"; the exact stripped shape is not documented).
    static func withoutPayloads(_ record: JSONValue) -> JSONValue {
        guard case .object(let members) = record else { return record }
        return .object(members.filter { $0.key != "requestPayload" && $0.key != "responsePayload" })
    }
}

/// The error payload of a failed invocation: `{errorMessage, errorType, stackTrace}`.
enum ErrorPayload {
    static func make(_ error: any Error) -> (payload: JSONValue, functionError: String, message: String) {
        if let timeout = error as? FunctionTimeout {
            return (
                ["errorMessage": .string(timeout.message), "errorType": "Sandbox.Timedout", "stackTrace": []], "Unhandled",
                timeout.message
            )
        }
        if let tooLarge = error as? ResponseTooLarge {
            return (
                ["errorMessage": .string(tooLarge.message), "errorType": "Function.ResponseSizeTooLarge", "stackTrace": []],
                "Unhandled", tooLarge.message
            )
        }
        if let handled = error as? FunctionError {
            return (
                ["errorMessage": .string(handled.message), "errorType": .string(handled.type), "stackTrace": []],
                "Handled", handled.message
            )
        }
        let message = String(describing: error)
        let type = String(describing: Swift.type(of: error))
        return (["errorMessage": .string(message), "errorType": .string(type), "stackTrace": []], "Unhandled", message)
    }
}

/// Throw this from a handler to report an error the function handled itself
/// (`FunctionError: "Handled"`); any other thrown error counts as `"Unhandled"`.
public struct FunctionError: Error, Sendable, Equatable {
    public var type: String
    public var message: String
    public init(type: String = "Error", _ message: String) {
        self.type = type
        self.message = message
    }
}

/// An attempt that ran past the function's timeout (Lambda ends it as an `Unhandled` error).
struct FunctionTimeout: Error, Sendable {
    var requestId: String
    var timeout: Duration

    /// "RequestId: <id> Error: Task timed out after 3.00 seconds".
    var message: String {
        let (s, atto) = timeout.components
        let hundredths = Int64(s) * 100 + atto / 10_000_000_000_000_000
        let text = "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
        return "RequestId: \(requestId) Error: Task timed out after \(text) seconds"
    }
}

/// A synchronous response over the 6 MB limit.
struct ResponseTooLarge: Error, Sendable {
    /// Lambda quotes 6291556 bytes in this message, a hundred bytes over its 6 MB request limit.
    var message: String { "Response payload size exceeded maximum allowed payload size (6291556 bytes)." }
}
