/// `/metrics` in the Prometheus text exposition format (0.0.4): per jail the lines read,
/// failures, bans, unbans and action errors (counters) and the current bans (gauge); per feed
/// its size, invalid lines, fetches and fetch failures; the daemon's start time.
public enum PrometheusRenderer {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private enum Kind: String { case counter, gauge }

    public static func render(_ snapshot: MetricsSnapshot) -> String {
        var out = ""
        func family<Item>(_ name: String, _ kind: Kind, _ help: String, _ items: [Item],
                          label: String, _ labelValue: (Item) -> String, _ value: (Item) -> Double?) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
            for item in items {
                guard let sample = value(item) else { continue }
                out += "\(name){\(label)=\"\(escapeLabel(labelValue(item)))\"} \(BanTableRenderer.number(sample))\n"
            }
        }
        let jails = snapshot.jails.sorted { $0.name < $1.name }
        func jailFamily(_ name: String, _ kind: Kind, _ help: String, _ value: (JailMetrics) -> Int) {
            family(name, kind, help, jails, label: "jail", \.name) { Double(value($0)) }
        }
        jailFamily("portcullis_lines_read_total", .counter, "Log lines the jail's filter read.", \.linesRead)
        jailFamily("portcullis_failures_total", .counter, "Failures the jail's filter found.", \.failures)
        jailFamily("portcullis_bans_total", .counter, "Bans the jail decided.", \.bans)
        jailFamily("portcullis_unbans_total", .counter, "Bans the jail lifted.", \.unbans)
        jailFamily("portcullis_action_errors_total", .counter, "Action commands of the jail that failed.", \.actionErrors)
        jailFamily("portcullis_banned", .gauge, "Addresses the jail bans now.", \.currentlyBanned)

        let feeds = snapshot.feeds.sorted { $0.name < $1.name }
        func feedFamily(_ name: String, _ kind: Kind, _ help: String, _ value: (FeedMetrics) -> Double?) {
            family(name, kind, help, feeds, label: "feed", \.name, value)
        }
        feedFamily("portcullis_feed_size", .gauge, "Entries in the feed's last good copy.") { Double($0.size) }
        feedFamily("portcullis_feed_invalid_lines", .gauge, "Lines of the feed's last copy that were not addresses.") { Double($0.invalidLines) }
        feedFamily("portcullis_feed_fetches_total", .counter, "Times the feed was fetched.") { Double($0.fetches) }
        feedFamily("portcullis_feed_fetch_failures_total", .counter, "Fetches of the feed that failed.") { Double($0.failures) }
        feedFamily("portcullis_feed_last_success_timestamp_seconds", .gauge, "When the feed was last fetched successfully.") { $0.lastSuccess }

        out += "# HELP portcullis_start_time_seconds When the daemon started, in seconds since the epoch.\n"
        out += "# TYPE portcullis_start_time_seconds gauge\n"
        out += "portcullis_start_time_seconds \(BanTableRenderer.number(snapshot.startTime))\n"
        return out
    }

    /// Label values escape backslash, double quote and line feed, as the format requires.
    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
