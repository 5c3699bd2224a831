/// A filter as a jail (or `portcullis regex`) uses it: every option of its `[Definition]`
/// resolved — `%(…)s` interpolated, `<tag>`s from `[Init]` and the caller's options
/// substituted — but nothing compiled yet. Compilation belongs to PortcullisFilter.
public struct FilterDefinition: Sendable, Equatable {
    /// The name as referenced, without options (`sshd` for `sshd[mode=aggressive]`).
    public var name: String
    /// The main file it was read from (`…/filter.d/sshd.conf`), when read from disk.
    public var file: String?
    /// `failregex`, one entry per non-empty line, in order.
    public var failRegex: [String]
    /// `ignoreregex`, one entry per non-empty line, in order.
    public var ignoreRegex: [String]
    /// `prefregex`, when set and non-empty.
    public var prefRegex: String?
    /// `datepattern` as written (may hold several lines), when set.
    public var datePattern: String?
    /// `maxlines`, when set.
    public var maxLines: Int?
    /// `journalmatch`, one entry per line.
    public var journalMatch: [String]
    /// Every resolved option of the filter (`[Definition]` after `[Init]` and caller options).
    public var options: [String: String]

    public init(name: String, file: String? = nil, failRegex: [String] = [], ignoreRegex: [String] = [],
                prefRegex: String? = nil, datePattern: String? = nil, maxLines: Int? = nil,
                journalMatch: [String] = [], options: [String: String] = [:]) {
        self.name = name
        self.file = file
        self.failRegex = failRegex
        self.ignoreRegex = ignoreRegex
        self.prefRegex = prefRegex
        self.datePattern = datePattern
        self.maxLines = maxLines
        self.journalMatch = journalMatch
        self.options = options
    }
}
