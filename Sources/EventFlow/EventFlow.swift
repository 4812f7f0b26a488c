public enum EventFlowPlaceholder {}
