extension DateDetector {
    /// Each template with the lines it dated, in the detector's current order (fail2ban-regex's
    /// "Date template hits" section).
    public var templateHits: [(name: String, hits: Int)] { entries.map { ($0.template.name, $0.hits) } }
}
