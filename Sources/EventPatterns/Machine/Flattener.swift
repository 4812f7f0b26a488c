import CStructuralSkip

/// Scans an event once, from its UTF-8 bytes, and records only the leaf values whose paths some
/// rule names; everything else is validated and skipped without being decoded.
struct Flattener {
    /// A class reference: copying the flattener or its walk costs one retain.
    let trie: SealedPathTrie
    let maxDepth: Int
    var scanning: EventMatcher.Scanning = .validating

    func flatten(_ bytes: UnsafeBufferPointer<UInt8>, into event: inout FlatEvent) throws(JSONError) {
        event.reset(fieldCount: trie.fieldCount)
        var scanner = JSONScanner(bytes, maxDepth: maxDepth)
        guard try scanner.peek() == UInt8(ascii: "{") else { throw scanner.fail("Event must be a JSON object") }
        var walk = Walk(trie: trie, scanner: scanner, fast: scanning == .stopEarly)
        if walk.fast {
            // Borrow the event's reusable flags rather than allocating per event.
            swap(&walk.complete, &event.completeFlags)
            if walk.complete.count != trie.fieldCount {
                walk.complete = Array(repeating: false, count: trie.fieldCount)
            } else {
                for i in walk.complete.indices { walk.complete[i] = false }
            }
        }
        // The walk's key buffer and scalar records are reused too.
        swap(&walk.keyBuffer, &event.keyScratch)
        if event.scalarScratch.isEmpty { event.scalarScratch.reset(count: 256, to: ef_scalar()) }
        walk.scalars = event.scalarScratch.buffer
        defer {
            if walk.fast { swap(&walk.complete, &event.completeFlags) }
            swap(&walk.keyBuffer, &event.keyScratch)
        }
        try walk.object(node: 0, depth: 0, into: &event)
        if walk.stopped { return }
        try walk.scanner.expectEnd()
    }

    struct Walk {
        let trie: SealedPathTrie
        var scanner: JSONScanner
        /// Skip unread parts structurally and stop once every field at the root was seen.
        let fast: Bool
        /// Set when the walk ended early because nothing later could match.
        var stopped = false
        /// Per field id: already read completely (outside any array), so nothing later in the
        /// event can add to it — unless the member name repeats, which fast mode does not see.
        var complete: [Bool] = []
        var completeCount = 0
        /// The innermost array element being read (in `FlatEvent.elements`), or -1.
        var element: Int32 = -1
        var nextArrayID: Int32 = 0
        var keyBuffer: [UInt8] = []
        /// Where the member scanner records the scalar values it reads itself.
        var scalars = UnsafeMutableBufferPointer<ef_scalar>(start: nil, count: 0)

        mutating func object(node: Int, depth: Int, into event: inout FlatEvent) throws(JSONError) {
            guard depth < scanner.maxDepth else { throw scanner.fail("nesting deeper than \(scanner.maxDepth) levels") }
            scanner.pos += 1  // '{'
            if try scanner.peek() == UInt8(ascii: "}") { scanner.pos += 1; return }
            while true {
                // Members no rule names are passed over in C, which also records the wanted
                // ones' scalar values; it hands back any other wanted member, and anything
                // unusual for the code below to read (and to report). Stopping early needs each
                // member outside arrays back, to mark what is complete.
                var recorded = 0
                let scan = trie.scanMembers(
                    node, scanner.bytes, from: scanner.pos, scalars: fast && element < 0 ? nil : scalars,
                    recorded: &recorded, validating: !fast, valueDepth: depth + 1, maxDepth: scanner.maxDepth)
                if recorded > 0 { appendScalars(recorded, into: &event) }
                scanner.pos = scan.pos
                switch scan.code {
                case EF_MEMBER_FOUND:
                    if try wanted(Int(trie.child(of: node, edge: scan.edge)), depth: depth, into: &event) { return }
                case EF_MEMBER_END:
                    return
                case EF_MEMBER_SKIP_VALUE:
                    try skipUnwanted(depth: depth)
                case EF_MEMBER_AFTER_VALUE:
                    break
                default:
                    if try slowMember(node: node, depth: depth, into: &event) { return }
                }
                let c = try scanner.peek()
                scanner.pos += 1
                if c == UInt8(ascii: "}") { return }
                guard c == UInt8(ascii: ",") else {
                    throw scanner.fail("expected ',' or '}' but found \(scanner.describe(c))", at: scanner.pos - 1)
                }
            }
        }

        /// Takes the scalars the member scanner recorded, as `value` would have read them: an
        /// array's elements each in an element of their own.
        private mutating func appendScalars(_ count: Int, into event: inout FlatEvent) {
            let outside = element
            var arrayID: Int32 = -1
            var index: Int32 = 0
            for s in UnsafeBufferPointer(rebasing: scalars[0..<count]) {
                switch Int(s.kind) {
                case EF_SCALAR_ARRAY_START:
                    arrayID = nextArrayID
                    nextArrayID += 1
                    event.arrayEnd.append(0)
                    index = 0
                case EF_SCALAR_ARRAY_END:
                    event.arrayEnd[Int(arrayID)] = Int32(event.fields.count)
                    arrayID = -1
                    element = outside
                default:
                    if arrayID >= 0 {
                        element = event.enterElement(arrayID, index, parent: outside)
                        index += 1
                    }
                    Self.append(s, element: element, bytes: scanner.bytes, into: &event)
                }
            }
        }

        /// One recorded scalar as a field (static: a method would copy the walk at every call).
        @inline(__always)
        private static func append(
            _ s: ef_scalar, element: Int32, bytes: UnsafeBufferPointer<UInt8>, into event: inout FlatEvent
        ) {
            switch Int(s.kind) {
            case EF_SCALAR_STRING:
                event.appendInEvent(s.field, .string, range: Int(s.start)..<Int(s.end), number: .nan, element: element)
            case EF_SCALAR_NUMBER:
                let range = Int(s.start)..<Int(s.end)
                let exact = s.number.isNaN ? EventNumber.fullValue(UnsafeBufferPointer(rebasing: bytes[range])) ?? .nan : s.number
                event.appendInEvent(s.field, .number, range: range, number: exact, element: element)
            default:  // a literal: the C kinds are numbered as `FlatEvent.Kind`
                event.appendField(s.field, FlatEvent.Kind(rawValue: UInt8(s.kind))!, start: Int32(event.values.count), element: element)
            }
        }

        /// One member read in Swift: names with escapes, non-ASCII or dotted names, and errors.
        /// True when the walk stopped.
        private mutating func slowMember(node: Int, depth: Int, into event: inout FlatEvent) throws(JSONError) -> Bool {
            guard try scanner.peek() == UInt8(ascii: "\"") else {
                throw scanner.fail("expected a member name string but found \(scanner.describe(scanner.bytes[scanner.pos]))")
            }
            let (range, escaped) = try scanner.string()
            let child: Int32?
            if escaped {
                keyBuffer.removeAll(keepingCapacity: true)
                try scanner.decodeString(range, into: &keyBuffer)
                child = keyBuffer.withUnsafeBufferPointer { trie.follow(node, key: $0) }
            } else {
                child = trie.follow(node, key: UnsafeBufferPointer(rebasing: scanner.bytes[range]))
            }
            try scanner.expect(UInt8(ascii: ":"), "':'")
            if let child { return try wanted(Int(child), depth: depth, into: &event) }
            try skipUnwanted(depth: depth)
            return false
        }

        /// Reads the value of a member some rule names; true when the walk stopped.
        private mutating func wanted(_ child: Int, depth: Int, into event: inout FlatEvent) throws(JSONError) -> Bool {
            try value(node: child, depth: depth + 1, into: &event)
            if stopped { return true }
            if fast && element < 0 && markComplete(child) {
                stopped = true
                return true
            }
            return false
        }

        private mutating func skipUnwanted(depth: Int) throws(JSONError) {
            if fast {
                try scanner.skipValueStructurally()
            } else {
                try scanner.skipValue(depth: depth + 1)
            }
        }

        /// Marks every field under `node` as completely read; true when that completes them all.
        mutating func markComplete(_ node: Int) -> Bool {
            var added = 0
            complete.withUnsafeMutableBufferPointer { complete in
                trie.forEachFieldUnder(node) { id in
                    if !complete[id] {
                        complete[id] = true
                        added += 1
                    }
                }
            }
            completeCount += added
            return completeCount == complete.count
        }

        mutating func value(node: Int, depth: Int, into event: inout FlatEvent) throws(JSONError) {
            let b = try scanner.peek()
            let id = trie.fieldID[node]
            switch b {
            case UInt8(ascii: "{"):
                if trie.hasChildren(node) {
                    try object(node: node, depth: depth, into: &event)
                } else if fast {
                    try scanner.skipValueStructurally()
                } else {
                    try scanner.skipValue(depth: depth)
                }
            case UInt8(ascii: "["):
                guard depth < scanner.maxDepth else { throw scanner.fail("nesting deeper than \(scanner.maxDepth) levels") }
                scanner.pos += 1
                let arrayID = nextArrayID
                nextArrayID += 1
                event.arrayEnd.append(0)
                defer { event.arrayEnd[Int(arrayID)] = Int32(event.fields.count) }
                if try scanner.peek() == UInt8(ascii: "]") { scanner.pos += 1; return }
                var index: Int32 = 0
                let parent = element
                while true {
                    element = event.enterElement(arrayID, index, parent: parent)
                    try value(node: node, depth: depth + 1, into: &event)
                    element = parent
                    if stopped { return }
                    index += 1
                    let c = try scanner.peek()
                    scanner.pos += 1
                    if c == UInt8(ascii: "]") { return }
                    guard c == UInt8(ascii: ",") else {
                        throw scanner.fail("expected ',' or ']' but found \(scanner.describe(c))", at: scanner.pos - 1)
                    }
                }
            case UInt8(ascii: "\""):
                let (range, escaped) = try scanner.string()
                guard id >= 0 else { return }
                if escaped {
                    let start = Int32(event.values.count)
                    try scanner.decodeString(range, into: &event.values)
                    event.appendField(id, .string, start: start, element: element)
                } else {
                    event.appendInEvent(id, .string, range: range, number: .nan, element: element)
                }
            case UInt8(ascii: "t"):
                try scanner.literal("true")
                if id >= 0 { event.appendField(id, .true, start: Int32(event.values.count), element: element) }
            case UInt8(ascii: "f"):
                try scanner.literal("false")
                if id >= 0 { event.appendField(id, .false, start: Int32(event.values.count), element: element) }
            case UInt8(ascii: "n"):
                try scanner.literal("null")
                if id >= 0 { event.appendField(id, .null, start: Int32(event.values.count), element: element) }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let range = try scanner.number()
                if id >= 0 {
                    let exact = EventNumber.exactValue(UnsafeBufferPointer(rebasing: scanner.bytes[range])) ?? .nan
                    event.appendInEvent(id, .number, range: range, number: exact, element: element)
                }
            default:
                throw scanner.fail("unexpected \(scanner.describe(b))")
            }
        }
    }

    /// The same flattening for an already parsed event. Iterative (an explicit stack, not
    /// recursion), so no nesting can overflow the thread's stack; false when the parts rules
    /// read nest deeper than `maxDepth` (objects and arrays), and then `event` is incomplete.
    func flatten(_ json: JSONValue, into event: inout FlatEvent) -> Bool {
        event.reset(fieldCount: trie.fieldCount)
        enum Step {
            case visit(JSONValue, node: Int, depth: Int)
            /// Entering / leaving element `index` of array `arrayID`.
            case enter(Int32, Int32)
            case leave
            /// After the last element of array `arrayID`.
            case close(Int32)
        }
        var element: Int32 = -1
        var nextArrayID: Int32 = 0
        var stack: [Step] = [.visit(json, node: 0, depth: 0)]
        while let step = stack.popLast() {
            switch step {
            case .enter(let arrayID, let index):
                element = event.enterElement(arrayID, index, parent: element)
                continue
            case .leave:
                element = event.elements[Int(element)].parent
                continue
            case .close(let arrayID):
                event.arrayEnd[Int(arrayID)] = Int32(event.fields.count)
                continue
            case .visit(let v, let node, let depth):
                let id = trie.fieldID[node]
                switch v {
                case .object(let members):
                    guard trie.hasChildren(node) else { continue }
                    guard depth < maxDepth else { return false }
                    // Pushed in reverse, so members are read in order.
                    for m in members.reversed() {
                        // Native strings are contiguous UTF-8: read in place, not copied.
                        let child =
                            m.key.utf8.withContiguousStorageIfAvailable { trie.follow(node, key: $0) }
                            ?? Array(m.key.utf8).withUnsafeBufferPointer { trie.follow(node, key: $0) }
                        if let child { stack.append(.visit(m.value, node: Int(child), depth: depth + 1)) }
                    }
                case .array(let elements):
                    guard depth < maxDepth else { return false }
                    let arrayID = nextArrayID
                    nextArrayID += 1
                    event.arrayEnd.append(0)
                    stack.append(.close(arrayID))
                    for (i, e) in elements.enumerated().reversed() {
                        stack.append(.leave)
                        stack.append(.visit(e, node: node, depth: depth + 1))
                        stack.append(.enter(arrayID, Int32(i)))
                    }
                case .string(let s):
                    if id >= 0 { Self.append(s, .string, id, element, &event) }
                case .number(let n):
                    if id >= 0 { Self.append(n.text, .number, id, element, &event) }
                case .bool(let b):
                    if id >= 0 { event.appendField(id, b ? .true : .false, start: Int32(event.values.count), element: element) }
                case .null:
                    if id >= 0 { event.appendField(id, .null, start: Int32(event.values.count), element: element) }
                }
            }
        }
        return true
    }

    private static func append(_ text: String, _ kind: FlatEvent.Kind, _ id: Int32, _ element: Int32, _ event: inout FlatEvent) {
        if text.utf8.withContiguousStorageIfAvailable({ event.append(id, kind, bytes: $0, element: element) }) == nil {
            Array(text.utf8).withUnsafeBufferPointer { event.append(id, kind, bytes: $0, element: element) }
        }
    }
}
