/// Python `getopt.getopt` semantics (not GNU's): options end at the first word that is not an
/// option, or after `--`; short options cluster (`-vvq`) and take their argument attached
/// (`-s/run/x.sock`) or as the next word; long options take `--name=value` or the next word
/// and may be abbreviated to any unique prefix (`--sock`).
struct OptionScanner {
    /// One option as written by its canonical name (`-s`, `--socket`) with its argument.
    struct Option: Equatable {
        var name: String
        var argument: String?
    }

    /// Short option letters; `true` when the option takes an argument.
    let short: [Character: Bool]
    /// Long option names; `true` when the option takes an argument.
    let long: [String: Bool]

    func scan(_ arguments: [String]) throws(ClientUsageError) -> (options: [Option], operands: [String]) {
        var options: [Option] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            guard word.hasPrefix("-"), word != "-" else { break }
            index += 1
            if word == "--" { break }
            if word.hasPrefix("--") {
                options.append(try scanLong(String(word.dropFirst(2)), arguments, &index))
            } else {
                options += try scanShort(Array(word.dropFirst()), arguments, &index)
            }
        }
        return (options, Array(arguments[index...]))
    }

    private func scanLong(_ text: String, _ arguments: [String], _ index: inout Int) throws(ClientUsageError) -> Option {
        var name = text
        var attached: String?
        if let equals = text.firstIndex(of: "=") {
            name = String(text[..<equals])
            attached = String(text[text.index(after: equals)...])
        }
        let resolved: String
        if long[name] != nil {
            resolved = name
        } else {
            let candidates = long.keys.filter { $0.hasPrefix(name) }
            guard !candidates.isEmpty else { throw .unrecognizedOption("--" + name) }
            guard candidates.count == 1 else { throw .ambiguousOption("--" + name) }
            resolved = candidates[0]
        }
        if long[resolved] == true {
            if let attached { return Option(name: "--" + resolved, argument: attached) }
            guard index < arguments.count else { throw .missingArgument("--" + resolved) }
            index += 1
            return Option(name: "--" + resolved, argument: arguments[index - 1])
        }
        if attached != nil { throw .unexpectedArgument("--" + resolved) }
        return Option(name: "--" + resolved, argument: nil)
    }

    private func scanShort(_ letters: [Character], _ arguments: [String], _ index: inout Int) throws(ClientUsageError) -> [Option] {
        var options: [Option] = []
        var position = 0
        while position < letters.count {
            let letter = letters[position]
            position += 1
            guard let takesArgument = short[letter] else { throw .unrecognizedOption("-" + String(letter)) }
            guard takesArgument else {
                options.append(Option(name: "-" + String(letter), argument: nil))
                continue
            }
            if position < letters.count {
                options.append(Option(name: "-" + String(letter), argument: String(letters[position...])))
            } else {
                guard index < arguments.count else { throw .missingArgument("-" + String(letter)) }
                options.append(Option(name: "-" + String(letter), argument: arguments[index]))
                index += 1
            }
            break
        }
        return options
    }
}
