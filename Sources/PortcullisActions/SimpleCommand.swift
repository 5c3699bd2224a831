/// A shell command line that is one program with literal arguments, split into those arguments
/// exactly as `/bin/sh -c` would split it.
///
/// This is what lets a `CommandShortcut` recognise a command without guessing: anything the shell
/// would interpret — expansions (`$`, backquotes, globs, a leading `~`), operators (`;`, `&`, `|`,
/// redirections, parentheses), comments, variable assignments, reserved words, line breaks, and
/// backslashes inside double quotes — makes the text "not simple", and the shell runs it.
/// Backslash escapes, single quotes and plain double quotes are removed as the shell removes them,
/// so the stock `nft add element … \{ <ip> \}` splits into `{`, the address and `}`.
public struct SimpleCommand: Sendable, Equatable {
    public var arguments: [String]

    public init?(_ text: String) {
        var arguments: [String] = []
        var word: [UInt8] = []
        var inWord = false
        var bytes = text.utf8.makeIterator()
        func endWord() {
            if inWord { arguments.append(String(decoding: word, as: UTF8.self)) }
            word.removeAll(keepingCapacity: true)
            inWord = false
        }
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                endWord()
            case UInt8(ascii: "\\"):
                guard let escaped = bytes.next(), escaped != UInt8(ascii: "\n") else { return nil }
                word.append(escaped)
                inWord = true
            case UInt8(ascii: "'"):
                inWord = true
                while true {
                    guard let quoted = bytes.next() else { return nil }
                    if quoted == UInt8(ascii: "'") { break }
                    word.append(quoted)
                }
            case UInt8(ascii: "\""):
                inWord = true
                while true {
                    guard let quoted = bytes.next() else { return nil }
                    if quoted == UInt8(ascii: "\"") { break }
                    if quoted == UInt8(ascii: "$") || quoted == UInt8(ascii: "`") || quoted == UInt8(ascii: "\\") { return nil }
                    word.append(quoted)
                }
            case UInt8(ascii: "#"), UInt8(ascii: "~"):
                guard inWord else { return nil }   // a comment, or a home directory
                word.append(byte)
            default:
                guard !Self.special.contains(byte) else { return nil }
                word.append(byte)
                inWord = true
            }
        }
        endWord()
        guard let program = arguments.first, !program.isEmpty, !program.contains("="),
              !Self.reservedWords.contains(program) else { return nil }
        self.arguments = arguments
    }

    /// Bytes that the shell gives a meaning outside quotes: operators, expansions, globs, NUL and
    /// control characters.
    static let special: Set<UInt8> = Set(Array("|&;<>()$`*?[".utf8) + (0...31).map { UInt8($0) })

    static let reservedWords: Set<String> = ["!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for",
                                             "if", "in", "then", "until", "while"]
}

/// A command the daemon can carry out itself with exactly the effect the shell would have had,
/// saving a process start where latency matters (a ban reaching the firewall).
///
/// The runner asks it first; `nil` means "not one of mine, or not sure", and the shell runs the
/// command as usual, so a shortcut never changes what happens, only how fast.
public protocol CommandShortcut: Sendable {
    /// The result of carrying out `command` (its duration is measured by the runner), or nil to
    /// leave it to the shell.
    func run(_ command: SimpleCommand) -> CommandResult?
}
