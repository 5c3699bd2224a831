// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Portcullis",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "portcullis", targets: ["portcullis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
    ],
    targets: [
        // System library shim: Debian's libpcre2-dev (10.42).
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),

        // System library shim: Debian's libsystemd-dev (sd-journal).
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),

        // fail2ban's INI dialect, interpolation and typed jail/filter/action definitions. Pure.
        .target(name: "PortcullisConfig"),

        // Regex translation and PCRE2 compilation, tags, date detection, line -> failure. Pure.
        .target(name: "PortcullisFilter", dependencies: ["CPCRE2", "PortcullisConfig"]),

        // Failure counting, ban decisions, ban-time increments, ignore lists. Pure; clock injected.
        .target(name: "PortcullisJail", dependencies: ["PortcullisFilter", "PortcullisConfig"]),

        // POSIX plumbing shared by the threads that block in poll(2): the wake-up pipe.
        .target(name: "PortcullisSystem"),

        // Log sources: inotify/polling file tail with rotation, the systemd journal.
        .target(name: "PortcullisLogs", dependencies: ["CSystemd", "PortcullisSystem"]),

        // Command actions (tags, escaping, subprocesses with timeouts) and firewall backends.
        .target(name: "PortcullisActions", dependencies: ["PortcullisConfig", "PortcullisSystem"]),

        // Native batched ban sets: nftables, and ipset + iptables; desired state and self-healing.
        .target(name: "PortcullisFirewall", dependencies: ["PortcullisSystem", "PortcullisActions", "PortcullisFilter"]),

        // The ban store: bans, ban history and log positions in SQLite.
        .target(name: "PortcullisStore", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),

        // libcurl through dlopen, loaded by the first HTTP feed fetch (Debian's libcurl4 at run time).
        .target(name: "CCurlLoader"),

        // Blocklist feeds: fetch (HTTP with ETag/If-Modified-Since, or a file), parse, diff, cache.
        .target(name: "PortcullisFeeds", dependencies: ["CCurlLoader", "PortcullisConfig", "PortcullisFilter", "PortcullisSystem"]),

        // The control protocol: framing, values, the socket client and fail2ban-client's output shapes.
        .target(name: "PortcullisClient", dependencies: ["PortcullisConfig"]),

        // The ban-list export API: an HTTP server (Hummingbird 2) with Krawl-compatible formats and metrics.
        .target(name: "PortcullisAPI", dependencies: [
            "PortcullisConfig", .product(name: "Hummingbird", package: "hummingbird"),
        ]),

        // The daemon: wires log sources, filters, jails, the store and actions; the control socket.
        .target(name: "PortcullisServer", dependencies: [
            "PortcullisConfig", "PortcullisFilter", "PortcullisJail", "PortcullisLogs",
            "PortcullisActions", "PortcullisStore", "PortcullisClient", "PortcullisAPI", "PortcullisFirewall", "PortcullisFeeds", "PortcullisSystem",
            .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
        ]),

        // The executable: argument parsing and dispatch (also by argv[0]).
        .executableTarget(name: "portcullis", dependencies: [
            "PortcullisConfig", "PortcullisFilter", "PortcullisServer", "PortcullisClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared test helpers: temporary trees, Debian's fail2ban package extraction.
        .target(name: "PortcullisTestSupport", path: "Tests/PortcullisTestSupport"),

        .testTarget(name: "PortcullisConfigTests", dependencies: ["PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisFilterTests", dependencies: ["PortcullisFilter", "PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "ConformanceTests", dependencies: ["PortcullisFilter", "PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisJailTests", dependencies: ["PortcullisJail", "PortcullisFilter", "PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisLogsTests", dependencies: ["PortcullisLogs", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisActionsTests", dependencies: ["PortcullisActions", "PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisStoreTests", dependencies: [
            "PortcullisStore", "PortcullisTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "PortcullisClientTests", dependencies: ["PortcullisClient", "PortcullisTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["PortcullisTestSupport"]),
        .testTarget(name: "PortcullisServerTests", dependencies: ["PortcullisServer", "PortcullisSystem", "PortcullisClient", "PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisAPITests", dependencies: ["PortcullisAPI", "PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisFirewallTests", dependencies: ["PortcullisFirewall", "PortcullisFilter", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisFeedsTests", dependencies: ["PortcullisFeeds", "PortcullisConfig", "PortcullisTestSupport"]),
    ]
)
