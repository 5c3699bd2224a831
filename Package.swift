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
    ],
    targets: [
        // System library shim: Debian's libpcre2-dev (10.42).
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),

        // fail2ban's INI dialect, interpolation and typed jail/filter/action definitions. Pure.
        .target(name: "PortcullisConfig"),

        // Regex translation and PCRE2 compilation, tags, date detection, line -> failure. Pure.
        .target(name: "PortcullisFilter", dependencies: ["CPCRE2", "PortcullisConfig"]),

        // The executable: argument parsing and dispatch (also by argv[0]).
        .executableTarget(name: "portcullis", dependencies: [
            "PortcullisConfig", "PortcullisFilter",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared test helpers: temporary trees, Debian's fail2ban package extraction.
        .target(name: "PortcullisTestSupport", path: "Tests/PortcullisTestSupport"),

        .testTarget(name: "PortcullisConfigTests", dependencies: ["PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "PortcullisFilterTests", dependencies: ["PortcullisFilter", "PortcullisConfig", "PortcullisTestSupport"]),
        .testTarget(name: "ConformanceTests", dependencies: ["PortcullisFilter", "PortcullisConfig", "PortcullisTestSupport"]),
    ]
)
