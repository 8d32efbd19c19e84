extension Duration {
    /// The duration in (fractional) seconds, for logs and metrics in base units.
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
