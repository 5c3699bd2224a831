/// One journal entry as a jail sees it: a syslog-style line and its time.
///
/// `line` is formatted as fail2ban's `formatJournalEntry` does — "host ident[pid]: message",
/// newlines escaped as "\n" — so the stock filters' regexes match journal entries exactly as
/// they match syslog files. `cursor` is the entry's own cursor: persist the last one and
/// `seek(cursor:)` to resume after it.
public struct JournalEntry: Sendable, Equatable {
    /// Realtime seconds since the epoch (`_SOURCE_REALTIME_TIMESTAMP`, else the journal's).
    public var time: Double
    public var line: String
    public var cursor: String

    public init(time: Double, line: String, cursor: String) {
        self.time = time
        self.line = line
        self.cursor = cursor
    }
}

/// What a `JournalReader` reports.
public enum JournalEvent: Sendable {
    /// New entries matching the reader's matches, oldest first.
    case entries([JournalEntry])
    /// Reading failed (reading goes on at the next change or poll).
    case error(LogSourceError)
}
