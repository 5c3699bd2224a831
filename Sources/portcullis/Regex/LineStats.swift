/// fail2ban-regex's line counters and the lines kept for printing.
///
/// A line's text is made only when it is kept: fail2ban-regex prints at most `maxlines`
/// missed or ignored lines ("too many to print" beyond), unless asked for all of them.
struct LineStats {
    /// What the report will print, read once from the command line.
    struct Policy {
        var json = false
        var printAllMatched = false
        var printNoIgnored = false
        var printAllIgnored = false
        var printNoMissed = false
        var printAllMissed = false
        /// Lines kept of each kind when not printing all: one more than are printed.
        var maxKept = 21

        init() {}

        init(_ command: RegexCommand) {
            json = command.json
            printAllMatched = command.printAllMatched
            printNoIgnored = command.printNoIgnored
            printAllIgnored = command.printAllIgnored
            printNoMissed = command.printNoMissed
            printAllMissed = command.printAllMissed
            maxKept = (command.effectiveMaxLines ?? 20) + 1
        }
    }

    let policy: Policy
    var tested = 0, matched = 0, ignored = 0, missed = 0
    var matchedLines: [String] = []
    var ignoredLines: [String] = []
    var missedLines: [String] = []

    init(_ policy: Policy) { self.policy = policy }

    /// Counts one line; `text` is called only when the line is kept for printing.
    @inline(__always)
    mutating func record(ignored isIgnored: Bool, matched isMatched: Bool, text: () -> String) {
        if isIgnored {
            ignored += 1
            if !policy.printNoIgnored && (policy.printAllIgnored || ignored <= policy.maxKept) { ignoredLines.append(text()) }
        } else if isMatched {
            matched += 1
            if policy.printAllMatched { matchedLines.append(text()) }
        } else {
            missed += 1
            if !policy.printNoMissed && (policy.printAllMissed || missed <= policy.maxKept) { missedLines.append(text()) }
        }
        tested += 1
    }

    /// In multi-line mode a later match can claim earlier lines: they move from missed to matched.
    mutating func reconcileMultiLine(before: [String], after: [String], maxLines: Int) {
        let fullBuffer = before.count >= maxLines ? 1 : 0
        for line in before.dropFirst(fullBuffer) where !after.contains(line) {
            if let i = missedLines.firstIndex(of: line) { missedLines.remove(at: i) }
            if policy.printAllMatched { matchedLines.append(line) }
            matched += 1
            missed -= 1
        }
    }
}
