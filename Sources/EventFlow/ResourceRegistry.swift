import Synchronization

/// Every resource of a runtime, by kind and name (and so by ARN): buses, queues, topics,
/// functions and streams. Creating a resource registers it; a second resource of the same kind
/// and name is refused with the error AWS gives for it (`Queue.create` and `Topic.create` return
/// the registered one, as SQS `CreateQueue` and SNS `CreateTopic` do). The runtime keeps its resources alive,
/// as AWS keeps them until they are deleted.
public final class ResourceRegistry: Sendable {
    /// What a resource is, as the service that owns it calls it.
    public enum Kind: String, Sendable, CaseIterable {
        case bus = "event-bus"
        case queue
        case topic
        case function
        case stream
    }

    private struct Key: Hashable {
        var kind: Kind
        var name: String
    }

    private let entries = Mutex<[Key: any Sendable]>([:])
    private let arns = Mutex<[String: any Sendable]>([:])

    init() {}

    /// Registers `resource`, or throws the AWS error for a name already taken.
    func register(_ resource: any Sendable, kind: Kind, name: String, arn: String) throws(AWSError) {
        let inserted = entries.withLock { e -> Bool in
            let key = Key(kind: kind, name: name)
            guard e[key] == nil else { return false }
            e[key] = resource
            return true
        }
        guard inserted else { throw Self.alreadyExists(kind, name: name, arn: arn) }
        arns.withLock { $0[arn] = resource }
    }

    /// Takes back a registration (a resource whose definition could not be stored).
    func unregister(kind: Kind, name: String, arn: String) {
        entries.withLock { _ = $0.removeValue(forKey: Key(kind: kind, name: name)) }
        arns.withLock { _ = $0.removeValue(forKey: arn) }
    }

    /// Registers `resource` and saves its definition; when the definition cannot be stored, the
    /// registration is taken back and the error names the resource.
    func register<D: Encodable>(
        _ resource: any Sendable, kind: Kind, name: String, arn: String, storing definitionKind: DefinitionKind, _ definition: D?,
        runtime: EventFlowRuntime
    ) throws(AWSError) {
        try register(resource, kind: kind, name: name, arn: arn)
        guard let definition else { return }
        do { try runtime.saveDefinition(definitionKind, key: name, definition) } catch {
            unregister(kind: kind, name: name, arn: arn)
            throw error
        }
    }

    /// Returns the registered resource of `kind` named `name`, creating and registering it with
    /// `make` when there is none (the default bus).
    func existing<R: Sendable>(_ kind: Kind, name: String, arn: String, make: () -> R) -> R {
        let (resource, created) = entries.withLock { e -> (R, Bool) in
            let key = Key(kind: kind, name: name)
            if let r = e[key] as? R { return (r, false) }
            let r = make()
            e[key] = r
            return (r, true)
        }
        if created { arns.withLock { $0[arn] = resource } }
        return resource
    }

    func lookup<R>(_ kind: Kind, name: String, as type: R.Type = R.self) -> R? {
        entries.withLock { $0[Key(kind: kind, name: name)] as? R }
    }

    /// The resource with this unqualified ARN (a qualified function ARN finds its function).
    func lookup<R>(arn: String, as type: R.Type = R.self) -> R? {
        arns.withLock { a in
            if let r = a[arn] as? R { return r }
            // arn:aws:lambda:region:account:function:name:qualifier
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 8, parts[2] == "lambda" { return a[parts.prefix(7).joined(separator: ":")] as? R }
            return nil
        }
    }

    /// Every resource of `kind` that is an `R`, in name order.
    func all<R>(_ kind: Kind, as type: R.Type) -> [R] {
        entries.withLock { e in
            e.filter { $0.key.kind == kind }.sorted { $0.key.name < $1.key.name }.compactMap { $0.value as? R }
        }
    }

    /// The names registered for `kind`, sorted.
    public func names(_ kind: Kind) -> [String] {
        entries.withLock { e in e.keys.filter { $0.kind == kind }.map(\.name).sorted() }
    }

    static func alreadyExists(_ kind: Kind, name: String, arn: String) -> AWSError {
        switch kind {
        case .bus: return AWSError(.resourceAlreadyExists, "Event bus \(name) already exists.")
        case .function: return AWSError(.resourceConflict, "Function already exist: \(name)")
        // Queue refines it with the attribute that differs (`Queue.nameTaken`).
        case .queue: return AWSError(.queueAlreadyExists, "A queue already exists with the same name: \(name)")
        case .topic: return AWSError(.resourceAlreadyExists, "Topic \(name) already exists.")
        case .stream:
            // arn:aws:kinesis:region:account:stream/name, or arn:aws:dynamodb:…:table/name/stream/label
            let account = arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
            return arn.contains(":dynamodb:")
                ? AWSError(.resourceInUse, "Table already exists: \(name)")
                : AWSError(.resourceInUse, "Stream \(name) under account \(account) already exists.")
        }
    }
}

extension EventFlowRuntime {
    /// The bus named `name` (the default bus exists once asked for).
    public nonisolated func bus(named name: String) -> EventBus? {
        name == "default" ? EventBus.default(self) : registry.lookup(.bus, name: name)
    }
    public nonisolated func queue(named name: String) -> Queue? { registry.lookup(.queue, name: name) }
    public nonisolated func topic(named name: String) -> Topic? { registry.lookup(.topic, name: name) }
    public nonisolated func stream(named name: String) -> DataStream? { registry.lookup(.stream, name: name) }
    /// The function named `name`, whatever its payload and response types.
    public nonisolated func function(named name: String) -> (any InvocableFunction)? { registry.lookup(.function, name: name) }
    /// The function named `name` with these payload and response types; nil when the name is
    /// unknown or the types differ.
    public nonisolated func function<P, R>(named name: String, as type: LambdaFunction<P, R>.Type) -> LambdaFunction<P, R>? {
        registry.lookup(.function, name: name)
    }

    public nonisolated func bus(arn: String) -> EventBus? { registry.lookup(arn: arn) }
    public nonisolated func queue(arn: String) -> Queue? { registry.lookup(arn: arn) }
    public nonisolated func topic(arn: String) -> Topic? { registry.lookup(arn: arn) }
    public nonisolated func stream(arn: String) -> DataStream? { registry.lookup(arn: arn) }
    /// The function with this ARN, qualified (`...:function:f:$LATEST`) or not.
    public nonisolated func function(arn: String) -> (any InvocableFunction)? { registry.lookup(arn: arn) }
}
