import CPCRE2

/// A PCRE2 pattern compiled once (UTF + UCP, JIT) and matched many times over raw UTF-8 bytes.
///
/// fail2ban's filters are written for Python's `re`; PCRE2 is the one engine that runs every
/// stock filter unchanged (lookbehind, conditionals, named groups) and its JIT keeps the hot
/// path in the microseconds. Patterns are translated from Python's dialect first
/// (``PythonRegexDialect``). Every match is bounded by match and depth limits, so a hostile
/// line costs bounded time; hitting a limit is reported as ``MatchOutcome/limitExceeded``.
///
/// An instance owns its match data and is not reentrant: one per filter, used by one task.
public final class CompiledRegex {
    /// The pattern as handed to PCRE2 (after translation).
    public let pattern: String
    /// Named groups: name → group numbers (a name may appear more than once).
    public let groupNumbers: [String: [Int32]]
    /// Number of capturing groups.
    public let captureCount: Int

    private let code: OpaquePointer
    private let matchData: OpaquePointer
    private let matchContext: OpaquePointer
    /// JIT compilation happens at the first search: a filter's or date detector's regexes
    /// that never run (most default date templates) cost no machine code.
    private enum JITState { case untried, compiled, refused }
    @exclusivity(unchecked) private var jitState = JITState.untried
    @exclusivity(unchecked) private var jitStack: OpaquePointer? = nil
    private let wantsASCIIVariant: Bool
    private let compileOptions: (multiline: Bool, caseless: Bool)
    /// The same pattern compiled for ASCII subjects (no UTF, no UCP), JIT-compiled: byte
    /// at a time, a third faster. Only for patterns written in ASCII, where it matches an
    /// ASCII subject exactly as the UTF+UCP code does (every class, case fold and
    /// property agrees on ASCII characters); nil when PCRE2 or its JIT refuse it.
    @exclusivity(unchecked) private var asciiCode: OpaquePointer? = nil
    @exclusivity(unchecked) private var asciiMatchData: OpaquePointer? = nil
    @exclusivity(unchecked) private var asciiOvector: UnsafeMutablePointer<Int>? = nil
    /// Captures of the last search (of whichever code ran).
    @exclusivity(unchecked) private var ovector: UnsafeMutablePointer<Int>
    private let utfOvector: UnsafeMutablePointer<Int>
    /// For patterns anchored at the subject start: the bytes a match can begin with (a 256-bit
    /// set). Most failregexes are `^Literal…`, so most lines are rejected without entering PCRE2.
    private let anchoredFirstBytes: (UInt64, UInt64, UInt64, UInt64)?
    /// A subject shorter than this many bytes cannot match (PCRE2's minimum length in characters).
    private let minimumLength: Int

    /// Outcome of one match attempt.
    public enum MatchOutcome: Equatable {
        case matched
        case noMatch
        /// The match or depth limit stopped the engine: the subject is pathological.
        case limitExceeded
        /// Any other PCRE2 error (its code).
        case failed(Int32)
    }

    /// PCRE2's match and depth limits: they bound the time a single subject can cost.
    private static let matchLimit: UInt32 = 1_000_000
    private static let depthLimit: UInt32 = 10_000

    /// Compiles `pattern` (already in PCRE2's dialect). `multiline` makes `^`/`$` match at line breaks.
    /// `asciiVariant`: also compile the pattern for ASCII subjects (for regexes searched on
    /// every log line; see ``search(_:from:ascii:)``).
    /// `jit`: false for a pattern searched once or twice (the interpreter is cheaper then).
    public init(pcre2 pattern: String, multiline: Bool = false, caseless: Bool = false,
                asciiVariant: Bool = false, jit: Bool = true) throws(RegexCompileError) {
        self.pattern = pattern
        let compiled = try Self.compile(pattern, PCRE2_UTF | PCRE2_UCP | PCRE2_DUPNAMES, multiline: multiline, caseless: caseless)
        code = compiled
        matchData = pcre2_match_data_create_from_pattern_8(compiled, nil)
        matchContext = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(matchContext, Self.matchLimit)
        pcre2_set_depth_limit_8(matchContext, Self.depthLimit)
        utfOvector = pcre2_get_ovector_pointer_8(matchData)
        ovector = utfOvector
        wantsASCIIVariant = asciiVariant && pattern.utf8.allSatisfy { $0 < 0x80 }
        compileOptions = (multiline, caseless)
        if !jit { jitState = .refused }

        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        groupNumbers = Self.readNameTable(compiled)
        var minLength: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_MINLENGTH), &minLength)
        minimumLength = Int(minLength)
        anchoredFirstBytes = Self.firstByteSet(compiled)
    }

    /// JIT-compiles the pattern (and its ASCII variant, when wanted) once.
    private func prepareJIT() {
        guard pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE) == 0 else {
            jitState = .refused
            return
        }
        jitState = .compiled
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack))
        if wantsASCIIVariant, let ascii = Self.compileASCII(pattern, multiline: compileOptions.multiline,
                                                            caseless: compileOptions.caseless) {
            asciiCode = ascii
            asciiMatchData = pcre2_match_data_create_from_pattern_8(ascii, nil)
            asciiOvector = pcre2_get_ovector_pointer_8(asciiMatchData)
        }
    }

    /// `pcre2_compile` of `pattern` with `options`, plus multi-line and caseless mode when asked.
    private static func compile(_ pattern: String, _ options: UInt32, multiline: Bool,
                                caseless: Bool) throws(RegexCompileError) -> OpaquePointer {
        var options = options
        if multiline { options |= PCRE2_MULTILINE }
        if caseless { options |= PCRE2_CASELESS }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compiled: OpaquePointer? = pattern.withCString { cPattern in
            cPattern.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count + 1) { bytes in
                pcre2_compile_8(bytes, pattern.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw RegexCompileError(pattern: pattern, offset: errorOffset, message: errorMessage(errorCode))
        }
        return compiled
    }

    /// `pattern` compiled without UTF and UCP, JIT-compiled; nil when either step fails.
    private static func compileASCII(_ pattern: String, multiline: Bool, caseless: Bool) -> OpaquePointer? {
        guard let compiled = try? compile(pattern, PCRE2_DUPNAMES | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP,
                                          multiline: multiline, caseless: caseless) else { return nil }
        guard pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0 else {
            pcre2_code_free_8(compiled)
            return nil
        }
        return compiled
    }

    /// The 256-bit set of possible first bytes of an anchored pattern, or nil when unknown.
    private static func firstByteSet(_ code: OpaquePointer) -> (UInt64, UInt64, UInt64, UInt64)? {
        var allOptions: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_ALLOPTIONS), &allOptions)
        guard allOptions & PCRE2_ANCHORED != 0 else { return nil }
        var bitmap: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_FIRSTBITMAP), &bitmap)
        var words: [UInt64] = [0, 0, 0, 0]
        if let bitmap {
            for byte in 0..<256 where bitmap[byte >> 3] & (1 << UInt8(byte & 7)) != 0 {
                words[byte >> 6] |= 1 << UInt64(byte & 63)
            }
        } else {
            var type: UInt32 = 0
            pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_FIRSTCODETYPE), &type)
            guard type == 1 else { return nil }
            var unit: UInt32 = 0
            pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_FIRSTCODEUNIT), &unit)
            guard unit < 256 else { return nil }
            var units = [unit]
            // Caseless first units are reported once: admit the other ASCII case too.
            if let scalar = Unicode.Scalar(unit), scalar.isASCII {
                let c = Character(scalar)
                for other in [c.lowercased(), c.uppercased()] { units.append(UInt32(other.unicodeScalars.first!.value)) }
            }
            for u in units where u < 256 { words[Int(u) >> 6] |= 1 << UInt64(u & 63) }
        }
        return (words[0], words[1], words[2], words[3])
    }

    /// Whether a match at offset 0 can begin with `byte` (false only when certain).
    @inline(__always)
    func canStart(with byte: UInt8) -> Bool {
        guard let set = anchoredFirstBytes else { return true }
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return set.0 & bit != 0
        case 1: return set.1 & bit != 0
        case 2: return set.2 & bit != 0
        default: return set.3 & bit != 0
        }
    }

    /// Whether a match can start at offset 0 of `subject` (cheap checks only).
    @inline(__always)
    private func mayMatch(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        if subject.count < minimumLength { return false }
        // An empty subject got past the length check: the pattern can match empty.
        guard let first = subject.first else { return true }
        return canStart(with: first)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(matchContext)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_code_free_8(code)
        if let asciiCode { pcre2_code_free_8(asciiCode) }
        if let asciiMatchData { pcre2_match_data_free_8(asciiMatchData) }
    }

    /// Searches `subject` (valid UTF-8; the caller guarantees it) starting at byte `start`.
    /// `ascii`: the caller knows every byte of `subject` is ASCII (the faster code may run).
    /// After `.matched`, ``range(ofGroup:)`` reads the captures until the next call.
    @inline(__always)
    public func search(_ subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, ascii: Bool = false) -> MatchOutcome {
        if start == 0 && !mayMatch(subject) { return .noMatch }
        let base = subject.baseAddress ?? Self.emptySubject
        if jitState == .untried { prepareJIT() }
        let rc: Int32
        if ascii, let asciiCode {
            ovector = asciiOvector.unsafelyUnwrapped
            rc = pcre2_jit_match_8(asciiCode, base, subject.count, start, 0, asciiMatchData, matchContext)
        } else {
            ovector = utfOvector
            if jitState == .compiled {
                rc = pcre2_jit_match_8(code, base, subject.count, start, 0, matchData, matchContext)
            } else {
                rc = pcre2_match_8(code, base, subject.count, start, PCRE2_NO_UTF_CHECK, matchData, matchContext)
            }
        }
        if rc >= 0 { return .matched }
        switch rc {
        case PCRE2_ERROR_NOMATCH, PCRE2_ERROR_PARTIAL: return .noMatch
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT:
            return .limitExceeded
        default: return .failed(rc)
        }
    }

    /// Convenience for tests and cold paths: searches a Swift string.
    public func search(_ subject: String) -> MatchOutcome {
        var copy = subject
        return copy.withUTF8 { search($0) }
    }

    /// Byte range of capture group `number` in the last searched subject, or nil when unset.
    @inline(__always)
    public func range(ofGroup number: Int32) -> Range<Int>? {
        let start = ovector[Int(number) * 2]
        let end = ovector[Int(number) * 2 + 1]
        // PCRE2_UNSET is ~(size_t)0, which Swift sees as -1.
        if start < 0 || end < 0 || start > end { return nil }
        return start..<end
    }

    /// Byte range of the first set group with this name (duplicate names allowed), or nil.
    public func range(ofGroup name: String) -> Range<Int>? {
        guard let numbers = groupNumbers[name] else { return nil }
        for number in numbers {
            if let r = range(ofGroup: number) { return r }
        }
        return nil
    }

    /// The whole match's byte range after `.matched`.
    public var matchRange: Range<Int> { range(ofGroup: 0) ?? 0..<0 }

    /// Whether PCRE2's JIT compiled this pattern (it can refuse on exotic patterns).
    public var isJITCompiled: Bool {
        if jitState == .untried { prepareJIT() }
        return jitState == .compiled
    }

    nonisolated(unsafe) private static let emptySubject: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    private static func readNameTable(_ code: OpaquePointer) -> [String: [Int32]] {
        var nameCount: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
        guard nameCount > 0 else { return [:] }
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table else { return [:] }
        var result: [String: [Int32]] = [:]
        for i in 0..<Int(nameCount) {
            let entry = table + i * Int(entrySize)
            let number = Int32(entry[0]) << 8 | Int32(entry[1])
            let nameStart = entry + 2
            var length = 0
            while length < Int(entrySize) - 2 && nameStart[length] != 0 { length += 1 }
            let name = String(decoding: UnsafeBufferPointer(start: nameStart, count: length), as: UTF8.self)
            result[name, default: []].append(number)
        }
        for key in result.keys { result[key]!.sort() }
        return result
    }

    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        if n < 0 { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(n)], as: UTF8.self)
    }
}

/// A pattern PCRE2 refused, with the byte offset PCRE2 reported.
public struct RegexCompileError: Error, CustomStringConvertible, Sendable {
    public let pattern: String
    public let offset: Int
    public let message: String
    public var description: String {
        "invalid regular expression at offset \(offset): \(message)\n  \(pattern)"
    }
}
