extension EventPattern {
    /// Why this pattern matches `event` or not. `explain(event).matched` is always
    /// `matches(event:)`.
    public func explain(_ event: JSONValue) -> PatternExplanation {
        Explainer(event: event).explain(conjunctions)
    }

    /// The explanation for an event given as UTF-8 JSON.
    public func explain(eventJSON bytes: [UInt8]) throws(JSONError) -> PatternExplanation {
        explain(try JSONParser.parse(bytes: bytes))
    }

    /// The explanation for an event given as JSON text.
    public func explain(eventJSON text: String) throws(JSONError) -> PatternExplanation {
        explain(try JSONParser.parse(text))
    }
}
