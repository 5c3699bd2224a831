import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Two network namespaces joined by a veth pair: `host` runs the daemon and its firewall,
/// `peer` plays the attacker. Every firewall command of a test runs inside `host`, so the
/// machine's own firewall is never touched; `remove()` deletes both namespaces.
public struct NamespacePair: Sendable {
    public let host: String
    public let peer: String
    public let hostAddress: String
    public let peerAddress: String

    /// Creates the pair with a fresh /24 from 10.251.0.0/16 picked by `index` (tests running
    /// concurrently pass different indexes).
    public init(index: Int) throws {
        let tag = "\(getpid() % 10000)-\(index)"
        host = "pc-h\(tag)"
        peer = "pc-p\(tag)"
        let octet = (Int(getpid()) + index * 7) % 250 + 1
        hostAddress = "10.251.\(octet).1"
        peerAddress = "10.251.\(octet).2"
        let hostLink = "pch\(tag)", peerLink = "pcp\(tag)"
        _ = try? Command.run(["ip", "netns", "del", host])
        _ = try? Command.run(["ip", "netns", "del", peer])
        try Command.check(["ip", "netns", "add", host])
        try Command.check(["ip", "netns", "add", peer])
        try Command.check(["ip", "link", "add", hostLink, "type", "veth", "peer", "name", peerLink])
        try Command.check(["ip", "link", "set", hostLink, "netns", host])
        try Command.check(["ip", "link", "set", peerLink, "netns", peer])
        try Command.check(["ip", "-n", host, "addr", "add", "\(hostAddress)/24", "dev", hostLink])
        try Command.check(["ip", "-n", peer, "addr", "add", "\(peerAddress)/24", "dev", peerLink])
        for (ns, link) in [(host, hostLink), (peer, peerLink)] {
            try Command.check(["ip", "-n", ns, "link", "set", link, "up"])
            try Command.check(["ip", "-n", ns, "link", "set", "lo", "up"])
        }
    }

    /// Runs a command inside the host namespace.
    @discardableResult
    public func inHost(_ arguments: [String]) throws -> CommandOutput {
        try Command.run(["ip", "netns", "exec", host] + arguments)
    }

    /// The TCP port of the host's test service (`startService()`).
    public static let servicePort = 2222

    /// Starts a TCP service in the host namespace that greets every connection with "ok": what
    /// the peer tries to reach. (Stock ban actions block TCP and reject rather than drop, so a
    /// ping proves nothing.) Stopped by `remove()`, which deletes the namespace.
    public func startService() throws {
        let script = """
            import socket
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", \(Self.servicePort))); s.listen(16)
            while True:
                c, _ = s.accept(); c.sendall(b"ok"); c.close()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", host, "python3", "-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where !(try peerCanReachHost()) { usleep(50_000) }
    }

    /// Whether the peer gets the host service's greeting within one second.
    public func peerCanReachHost() throws -> Bool {
        let script = """
            import socket, sys
            try:
                c = socket.create_connection(("\(hostAddress)", \(Self.servicePort)), timeout=1)
                sys.exit(0 if c.recv(2) == b"ok" else 1)
            except OSError:
                sys.exit(1)
            """
        return try Command.run(["ip", "netns", "exec", peer, "python3", "-c", script]).status == 0
    }

    public func remove() {
        _ = try? Command.run(["ip", "netns", "pids", host]).stdout.split(separator: "\n").forEach { pid in
            if let pid = Int32(pid) { kill(pid, SIGKILL) }
        }
        _ = try? Command.run(["ip", "netns", "del", host])
        _ = try? Command.run(["ip", "netns", "del", peer])
    }
}
