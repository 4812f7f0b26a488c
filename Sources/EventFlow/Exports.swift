// EventFlow's API speaks EventPatterns' JSON and pattern types; importing EventFlow is enough.
@_exported import EventPatterns
