/// Options of `portcullis sample-log`.
struct SampleLogOptions: Sendable {
    /// Number of lines to write.
    var lines = 20_000
    /// Same seed, same options → byte-identical output.
    var seed: UInt64 = 1
    /// Epoch of the first line (default 2024-12-10 06:55:46 UTC).
    var start: Int64 = 1_733_813_746
    /// Share of attack sessions coming from IPv6 addresses (0…1).
    var ipv6Share = 0.1
    /// Mix in hostile lines (injection attempts, huge lines, invalid UTF-8, shell metacharacters).
    var hostile = false
    /// The syslog host name column.
    var hostname: [UInt8] = Array("gate".utf8)
}

/// A client address, derived from a pool index by hashing (no storage per address).
struct SampleAddress {
    var isV6: Bool
    var bits: UInt64
}

/// One line of a session. The text is produced by `SampleLogGenerator.writeMessage`.
enum SampleStep {
    case connectionFrom
    case reverseMapping
    case invalidUser(withPort: Bool)
    case inputUserauth
    case checkPassUnknown
    case pamAuthFailure(withUser: Bool)
    case failed(method: Method, invalidUser: Bool)
    case messageRepeated(times: Int, invalidUser: Bool)
    case maxAuthAttempts(invalidUser: Bool)
    case tooManyAuthFailures
    case pamMoreFailures(Int, withUser: Bool)
    case pamIgnoringMaxRetries(Int)
    case receivedDisconnect(Reason, newStyle: Bool)
    case connectionClosed(withPort: Bool, preauth: Bool)
    case disconnectedUser(invalidUser: Bool)
    case didNotReceiveIdentification(withPort: Bool)
    case badProtocolVersion
    case unableToNegotiate
    case writeFailedReset
    case accepted(publickey: Bool)
    case sessionOpened
    case sessionClosed
    case cronOpened
    case cronClosed
    /// `--hostile`: a line whose text is fully prepared in the session's `extra` bytes.
    case raw

    enum Method { case password, none, publickey }
    enum Reason { case byeBye, closedByUser, disconnectedByUser, noMoreMethods, authFail }
}

struct SampleSession {
    var pid: Int
    var address: SampleAddress
    var port: Int
    var user: [UInt8]
    var steps: [SampleStep]
    var position = 0
    /// Prepared message bytes for `.raw` steps, in order.
    var extra: [[UInt8]] = []
    var extraPosition = 0
    var daemon: Daemon = .sshd

    enum Daemon { case sshd, cron }
}

/// Writes a realistic OpenSSH auth log: overlapping sessions (scanners trying invalid
/// users, root brute force, scanners that never authenticate, legitimate logins, cron
/// noise) with the line mix of a public-facing host, in `Mon DD HH:MM:SS host sshd[pid]: …`
/// syslog format, with strictly non-decreasing timestamps.
struct SampleLogGenerator {
    private let options: SampleLogOptions
    private var random: SampleRandom
    private var clock = SyslogClock()
    private var now: Int64
    private var nextPid = 24_200
    private var active: [SampleSession] = []
    private let v4Pool: Int
    private let v6Pool: Int
    private let seedSalt: UInt64
    private let maxActive = 6
    /// Cumulative weights of the session kinds.
    private let kindTable: [(limit: Int, kind: Kind)]
    private let kindTotal: Int

    private enum Kind { case invalidUser, rootBrute, userBrute, scanner, noMoreMethods, closedByUser, authFail, login, cron, hostile }

    init(options: SampleLogOptions) {
        self.options = options
        random = SampleRandom(seed: options.seed)
        now = options.start
        seedSalt = SampleRandom.mix(options.seed ^ 0x5157_4C4F_4749_4E21)
        // About one distinct attacker per 25 lines, heavy-tailed use (a few hammer, most knock once).
        let share = max(0, min(1, options.ipv6Share))
        v4Pool = max(64, Int(Double(options.lines) * (1 - share) / 25))
        v6Pool = max(16, Int(Double(options.lines) * share / 25))
        var weights: [(Int, Kind)] = [
            (34, .invalidUser), (24, .rootBrute), (7, .userBrute), (12, .scanner), (6, .noMoreMethods),
            (3, .closedByUser), (1, .authFail), (7, .login), (4, .cron),
        ]
        if options.hostile { weights.append((8, .hostile)) }
        var acc = 0
        kindTable = weights.map { acc += $0.0; return (acc, $0.1) }
        kindTotal = acc
    }

    mutating func generate(into sink: inout ByteSink) throws {
        var emitted = 0
        while emitted < options.lines {
            if active.count < maxActive && (active.isEmpty || random.chance(0.3)) {
                active.append(newSession())
            }
            let i = random.below(active.count)
            var session = active[i]
            writeLine(&session, into: &sink)
            try sink.endLine()
            emitted += 1
            if session.position == session.steps.count {
                active.swapAt(i, active.count - 1)
                active.removeLast()
            } else {
                active[i] = session
            }
            advanceClock()
        }
        try sink.flush()
    }

    private mutating func advanceClock() {
        let r = random.below(100)
        if r < 60 { return }
        if r < 90 { now += 1 } else if r < 98 { now += Int64(random.within(2...4)) } else { now += Int64(random.within(5...30)) }
    }

    // MARK: Sessions

    private mutating func newPid() -> Int {
        nextPid += random.within(1...6)
        if nextPid > 32_767 { nextPid = 1_000 + random.below(500) }
        return nextPid
    }

    private mutating func attacker() -> SampleAddress {
        let v6 = random.chance(options.ipv6Share)
        let pool = v6 ? v6Pool : v4Pool
        let u = random.unit()
        let index = UInt64(Double(pool) * u * u * u)
        return SampleAddress(isV6: v6, bits: SampleRandom.mix(seedSalt ^ (index &* 2 &+ (v6 ? 1 : 0))))
    }

    private mutating func staffAddress() -> SampleAddress {
        let index = UInt64(random.below(4))
        return SampleAddress(isV6: index == 3 && options.ipv6Share > 0, bits: SampleRandom.mix(~seedSalt ^ index))
    }

    private mutating func newSession() -> SampleSession {
        let roll = random.below(kindTotal)
        let kind = kindTable.first { roll < $0.limit }!.kind
        var s = SampleSession(pid: newPid(), address: attacker(), port: random.within(1024...65535), user: [], steps: [])
        let newStyle = random.chance(0.35) // OpenSSH ≥ 7.5 adds "port N" in more messages
        if random.chance(0.04) { s.steps.append(.connectionFrom) }
        switch kind {
        case .invalidUser:
            s.user = invalidUserName()
            if !s.address.isV6 && random.chance(0.25) { s.steps.append(.reverseMapping) }
            s.steps += [.invalidUser(withPort: newStyle), .inputUserauth, .checkPassUnknown, .pamAuthFailure(withUser: false)]
            let method: SampleStep.Method = random.chance(0.03) ? .none : .password
            s.steps.append(.failed(method: method, invalidUser: true))
            s.steps.append(closing(newStyle: newStyle, invalidUser: true))
        case .rootBrute, .userBrute:
            let invalid = kind == .userBrute
            s.user = invalid ? invalidUserName() : random.pick(SampleVocabulary.existingUsers)
            if invalid { s.steps += [.invalidUser(withPort: newStyle), .inputUserauth, .checkPassUnknown] }
            s.steps.append(.pamAuthFailure(withUser: !invalid))
            // 1…6 attempts, skewed low; 6 is sshd's default MaxAuthTries.
            let u = random.unit()
            let attempts = min(6, 1 + Int(u * u * 7))
            s.steps.append(.failed(method: .password, invalidUser: invalid))
            if attempts > 1 {
                if random.chance(0.4) {
                    s.steps.append(.messageRepeated(times: attempts - 1, invalidUser: invalid))
                } else {
                    for _ in 1..<attempts { s.steps.append(.failed(method: .password, invalidUser: invalid)) }
                }
            }
            if attempts == 6 {
                s.steps.append(newStyle ? .maxAuthAttempts(invalidUser: invalid) : .tooManyAuthFailures)
                s.steps += [.pamMoreFailures(5, withUser: !invalid), .pamIgnoringMaxRetries(6)]
            } else {
                s.steps.append(closing(newStyle: newStyle, invalidUser: invalid))
                if attempts > 1 { s.steps.append(.pamMoreFailures(attempts - 1, withUser: !invalid)) }
            }
        case .scanner:
            switch random.below(10) {
            case 0..<4: s.steps.append(.didNotReceiveIdentification(withPort: newStyle))
            case 4..<7: s.steps.append(.connectionClosed(withPort: newStyle, preauth: true))
            case 7: s.steps.append(.badProtocolVersion)
            case 8: s.steps.append(.unableToNegotiate)
            default: s.steps.append(.writeFailedReset)
            }
        case .noMoreMethods:
            s.user = invalidUserName()
            if random.chance(0.5) { s.steps += [.invalidUser(withPort: newStyle), .inputUserauth] }
            s.steps.append(.receivedDisconnect(.noMoreMethods, newStyle: newStyle))
        case .closedByUser:
            s.steps.append(.receivedDisconnect(.closedByUser, newStyle: newStyle))
        case .authFail:
            s.steps.append(.receivedDisconnect(.authFail, newStyle: newStyle))
        case .login:
            s.address = staffAddress()
            s.user = random.pick(SampleVocabulary.staffUsers)
            let publickey = random.chance(0.6)
            if !publickey && random.chance(0.2) {
                s.steps += [.pamAuthFailure(withUser: true), .failed(method: .password, invalidUser: false)]
            }
            s.steps += [.accepted(publickey: publickey), .sessionOpened,
                        .receivedDisconnect(.disconnectedByUser, newStyle: newStyle), .sessionClosed]
        case .cron:
            s.daemon = .cron
            s.user = Array("root".utf8)
            s.steps = [.cronOpened, .cronClosed]
        case .hostile:
            makeHostile(&s)
        }
        return s
    }

    private mutating func closing(newStyle: Bool, invalidUser: Bool) -> SampleStep {
        switch random.below(10) {
        case 0..<6: return .receivedDisconnect(.byeBye, newStyle: newStyle)
        case 6..<8: return .connectionClosed(withPort: newStyle, preauth: true)
        default: return newStyle ? .disconnectedUser(invalidUser: invalidUser) : .connectionClosed(withPort: false, preauth: true)
        }
    }

    private mutating func invalidUserName() -> [UInt8] {
        var name = random.pick(SampleVocabulary.invalidUsers)
        if random.chance(0.1) { name.append(0x30 &+ UInt8(random.below(10))) }
        return name
    }

    // MARK: Hostile sessions

    private mutating func fakeAddress() -> [UInt8] {
        if random.chance(0.5) { return Array("1.2.3.4".utf8) }
        var tmp = ByteSink(fd: -1)
        writeAddress(SampleAddress(isV6: random.chance(0.3), bits: random.next()), into: &tmp)
        return tmp.buffer
    }

    private mutating func makeHostile(_ s: inout SampleSession) {
        var user: [UInt8]
        switch random.below(8) {
        case 0: // user name that looks like an address clause
            user = Array("from ".utf8) + fakeAddress()
        case 1:
            user = Array("admin from ".utf8) + fakeAddress() + Array(" port 22 ssh2".utf8)
        case 2: // shell metacharacters
            user = random.pick(SampleVocabulary.shellPayloads)
        case 3: // invalid UTF-8 inside an otherwise plain name
            user = Array("adm".utf8) + random.pick(SampleVocabulary.badUTF8) + Array("in".utf8)
        case 4: // very long user name (4…64 KiB)
            let n = random.within(4_096...65_536)
            user = [UInt8](repeating: 0x41 &+ UInt8(random.below(26)), count: n)
        case 5: // terminal escapes and tabs
            user = [0x1B] + Array("[31mroot\t".utf8) + [0x1B] + Array("[0m".utf8)
        case 6: // a PAM line with a forged rhost/user tail
            user = Array("root rhost=".utf8) + fakeAddress()
            s.user = user
            s.steps = [.pamAuthFailure(withUser: true), .failed(method: .password, invalidUser: true)]
            return
        default: // a huge junk identification string
            var junk = Array("Bad protocol version identification '".utf8)
            let n = random.within(2_048...32_768)
            for _ in 0..<n { junk.append(0x20 &+ UInt8(random.below(95))) }
            junk += Array("' from ".utf8)
            var tmp = ByteSink(fd: -1)
            writeAddress(s.address, into: &tmp)
            junk += tmp.buffer + Array(" port ".utf8)
            tmp = ByteSink(fd: -1)
            tmp.decimal(s.port)
            junk += tmp.buffer
            s.extra = [junk]
            s.steps = [.raw]
            return
        }
        s.user = user
        s.steps = [.invalidUser(withPort: true), .inputUserauth, .failed(method: .password, invalidUser: true),
                   .connectionClosed(withPort: true, preauth: true)]
    }

    // MARK: Text

    private mutating func writeLine(_ s: inout SampleSession, into sink: inout ByteSink) {
        clock.write(now, to: &sink)
        sink.byte(0x20)
        sink.put(options.hostname)
        switch s.daemon {
        case .sshd: sink.put(" sshd[")
        case .cron: sink.put(" CRON[")
        }
        sink.decimal(s.pid)
        sink.put("]: ")
        let step = s.steps[s.position]
        s.position += 1
        if case .raw = step {
            sink.put(s.extra[s.extraPosition])
            s.extraPosition += 1
        } else {
            writeMessage(step, s, into: &sink)
        }
    }

    private func writeAddress(_ a: SampleAddress, into sink: inout ByteSink) {
        let b = a.bits
        if a.isV6 {
            let prefix = SampleVocabulary.ipv6Prefixes[Int(b % UInt64(SampleVocabulary.ipv6Prefixes.count))]
            sink.hex(prefix.0); sink.byte(0x3A)
            sink.hex(prefix.1); sink.byte(0x3A)
            sink.hex(UInt16(truncatingIfNeeded: b >> 8)); sink.byte(0x3A)
            sink.hex(UInt16(truncatingIfNeeded: b >> 24)); sink.put("::")
            if b & 0x40 != 0 { sink.hex(UInt16(truncatingIfNeeded: b >> 40)); sink.byte(0x3A) }
            sink.hex(UInt16(truncatingIfNeeded: b >> 48) | 1)
        } else {
            var first = Int(b & 0xFF) % 223 + 1
            if first == 10 || first == 127 || first == 100 || first == 172 || first == 192 { first += 13 }
            sink.decimal(first); sink.byte(0x2E)
            sink.decimal(Int((b >> 8) & 0xFF)); sink.byte(0x2E)
            sink.decimal(Int((b >> 16) & 0xFF)); sink.byte(0x2E)
            sink.decimal(1 + Int((b >> 24) % 254))
        }
    }

    /// ` from <ip> port <n>`
    private func fromAddressPort(_ s: SampleSession, into sink: inout ByteSink) {
        sink.put(" from ")
        writeAddress(s.address, into: &sink)
        sink.put(" port ")
        sink.decimal(s.port)
    }

    private func writeMessage(_ step: SampleStep, _ s: SampleSession, into sink: inout ByteSink) {
        switch step {
        case .connectionFrom:
            sink.put("Connection from ")
            writeAddress(s.address, into: &sink)
            sink.put(" port ")
            sink.decimal(s.port)
            sink.put(" on 192.0.2.10 port 22")
        case .reverseMapping:
            let b = s.address.bits
            sink.put("reverse mapping checking getaddrinfo for ")
            if b & 0x300 == 0 {
                sink.put("ns.")
                sink.put(SampleVocabulary.invalidUsers[Int((b >> 32) % UInt64(SampleVocabulary.invalidUsers.count))])
                sink.put("-hosting.com")
            } else {
                var tmp = ByteSink(fd: -1)
                writeAddress(s.address, into: &tmp)
                for c in tmp.buffer { sink.byte(c == 0x2E ? 0x2D : c) }
                sink.byte(0x2E)
                sink.put(SampleVocabulary.reverseDomains[Int((b >> 40) % UInt64(SampleVocabulary.reverseDomains.count))])
            }
            sink.put(" [")
            writeAddress(s.address, into: &sink)
            sink.put("] failed - POSSIBLE BREAK-IN ATTEMPT!")
        case .invalidUser(let withPort):
            sink.put("Invalid user ")
            sink.put(s.user)
            sink.put(" from ")
            writeAddress(s.address, into: &sink)
            if withPort { sink.put(" port "); sink.decimal(s.port) }
        case .inputUserauth:
            sink.put("input_userauth_request: invalid user ")
            sink.put(s.user)
            sink.put(" [preauth]")
        case .checkPassUnknown:
            sink.put("pam_unix(sshd:auth): check pass; user unknown")
        case .pamAuthFailure(let withUser):
            sink.put("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=")
            writeAddress(s.address, into: &sink)
            sink.byte(0x20)
            if withUser { sink.put(" user="); sink.put(s.user) }
        case .failed(let method, let invalidUser):
            switch method {
            case .password: sink.put("Failed password for ")
            case .none: sink.put("Failed none for ")
            case .publickey: sink.put("Failed publickey for ")
            }
            if invalidUser { sink.put("invalid user ") }
            sink.put(s.user)
            fromAddressPort(s, into: &sink)
            sink.put(" ssh2")
        case .messageRepeated(let times, let invalidUser):
            sink.put("message repeated ")
            sink.decimal(times)
            sink.put(" times: [ Failed password for ")
            if invalidUser { sink.put("invalid user ") }
            sink.put(s.user)
            fromAddressPort(s, into: &sink)
            sink.put(" ssh2]")
        case .maxAuthAttempts(let invalidUser):
            sink.put("error: maximum authentication attempts exceeded for ")
            if invalidUser { sink.put("invalid user ") }
            sink.put(s.user)
            fromAddressPort(s, into: &sink)
            sink.put(" ssh2 [preauth]")
        case .tooManyAuthFailures:
            sink.put("Disconnecting: Too many authentication failures for ")
            sink.put(s.user)
            sink.put(" [preauth]")
        case .pamMoreFailures(let n, let withUser):
            sink.put("PAM ")
            sink.decimal(n)
            sink.put(n == 1 ? " more authentication failure; " : " more authentication failures; ")
            sink.put("logname= uid=0 euid=0 tty=ssh ruser= rhost=")
            writeAddress(s.address, into: &sink)
            sink.byte(0x20)
            if withUser { sink.put(" user="); sink.put(s.user) }
        case .pamIgnoringMaxRetries(let n):
            sink.put("PAM service(sshd) ignoring max retries; ")
            sink.decimal(n)
            sink.put(" > 3")
        case .receivedDisconnect(let reason, let newStyle):
            if reason == .noMoreMethods || reason == .authFail { sink.put("error: ") }
            sink.put("Received disconnect from ")
            writeAddress(s.address, into: &sink)
            if newStyle { sink.put(" port "); sink.decimal(s.port); sink.byte(0x3A) } else { sink.put(": ") }
            switch reason {
            case .byeBye: sink.put("11: Bye Bye [preauth]")
            case .closedByUser: sink.put("11: Closed due to user request. [preauth]")
            case .disconnectedByUser: sink.put("11: disconnected by user")
            case .noMoreMethods: sink.put("14: No more user authentication methods available. [preauth]")
            case .authFail: sink.put("3: com.jcraft.jsch.JSchException: Auth fail [preauth]")
            }
        case .connectionClosed(let withPort, let preauth):
            sink.put("Connection closed by ")
            writeAddress(s.address, into: &sink)
            if withPort { sink.put(" port "); sink.decimal(s.port) }
            if preauth { sink.put(" [preauth]") }
        case .disconnectedUser(let invalidUser):
            sink.put(invalidUser ? "Disconnected from invalid user " : "Disconnected from authenticating user ")
            sink.put(s.user)
            sink.byte(0x20)
            writeAddress(s.address, into: &sink)
            sink.put(" port ")
            sink.decimal(s.port)
            sink.put(" [preauth]")
        case .didNotReceiveIdentification(let withPort):
            sink.put("Did not receive identification string from ")
            writeAddress(s.address, into: &sink)
            if withPort { sink.put(" port "); sink.decimal(s.port) }
        case .badProtocolVersion:
            sink.put("Bad protocol version identification 'GET / HTTP/1.1'")
            fromAddressPort(s, into: &sink)
        case .unableToNegotiate:
            sink.put("Unable to negotiate with ")
            writeAddress(s.address, into: &sink)
            sink.put(" port ")
            sink.decimal(s.port)
            sink.put(": no matching key exchange method found. Their offer: diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group1-sha1 [preauth]")
        case .writeFailedReset:
            sink.put("fatal: Write failed: Connection reset by peer [preauth]")
        case .accepted(let publickey):
            sink.put(publickey ? "Accepted publickey for " : "Accepted password for ")
            sink.put(s.user)
            fromAddressPort(s, into: &sink)
            sink.put(" ssh2")
            if publickey {
                sink.put(": ")
                sink.put(SampleVocabulary.keyTypes[Int(s.address.bits % 3)])
                sink.put(" SHA256:")
                let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                var h = s.address.bits ^ UInt64(s.user.count)
                for _ in 0..<43 {
                    h = SampleRandom.mix(h)
                    sink.byte(alphabet.utf8Start[Int(h & 63)])
                }
            }
        case .sessionOpened:
            sink.put("pam_unix(sshd:session): session opened for user ")
            sink.put(s.user)
            sink.put(" by (uid=0)")
        case .sessionClosed:
            sink.put("pam_unix(sshd:session): session closed for user ")
            sink.put(s.user)
        case .cronOpened:
            sink.put("pam_unix(cron:session): session opened for user root by (uid=0)")
        case .cronClosed:
            sink.put("pam_unix(cron:session): session closed for user root")
        case .raw:
            break
        }
    }
}
