/// The one error every configuration problem becomes, so an administrator always learns
/// *where* (`file:line`) and *what* — the reader never crashes and never drops an option silently.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file the problem is in (absolute path as read), when known.
    public var file: String?
    /// The 1-based line in `file`, when known.
    public var line: Int?
    /// What is wrong, in the administrator's words (no `file:line` prefix).
    public var message: String

    public init(file: String? = nil, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public init(at location: SourceLocation?, _ message: String) {
        self.init(file: location?.file, line: location?.line, message)
    }

    /// `file:line: message` (or `file: message`, or just `message` when the place is unknown).
    public var description: String {
        switch (file, line) {
        case let (file?, line?): return "\(file):\(line): \(message)"
        case let (file?, nil): return "\(file): \(message)"
        default: return message
        }
    }
}
