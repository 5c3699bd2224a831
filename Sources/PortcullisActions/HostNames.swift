#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// This host's names (`<fq-hostname>`, `<sh-hostname>`), reverse lookups for `<ip-host>` and
/// whether IPv6 is in use (fail2ban then starts conditional actions for both families).
/// The lookups block, so the actor-facing ones run on a dispatch queue, off the cooperative pool.
enum HostNames {
    /// The fully qualified name (the canonical name of `gethostname()`, when it has a dot).
    static let fullyQualified: String = {
        let short = hostName()
        var hints = addrinfo()
        hints.ai_flags = AI_CANONNAME
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(short, nil, &hints, &result) == 0, let first = result else { return short }
        defer { freeaddrinfo(result) }
        if let canonical = first.pointee.ai_canonname {
            let name = String(cString: UnsafePointer(canonical))
            if name.contains(".") { return name }
        }
        return short
    }()

    /// `gethostname()`.
    static let short: String = hostName()

    /// Resolves this host's names on a dispatch queue, so the first `<fq-hostname>` does not
    /// hold an actor's thread while the resolver answers (or times out).
    static func prepare() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                _ = fullyQualified
                _ = short
                continuation.resume()
            }
        }
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return cText(buffer)
    }

    /// The name `ip` resolves back to, or nil (fail2ban prints that as `None`).
    static func reverseLookup(_ ip: String) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: reverseLookupBlocking(ip)) }
        }
    }

    static func reverseLookupBlocking(_ ip: String) -> String? {
        var storage = sockaddr_storage()
        var length: socklen_t
        if let bytes = IPAddressText.ipv4Bytes(ip) {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: bytes) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeBytes(of: address) { source in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) } }
        } else if let bytes = IPAddressText.ipv6Bytes(ip) {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: bytes) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeBytes(of: address) { source in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) } }
        } else {
            return nil
        }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NAMEREQD)
            }
        }
        return status == 0 ? cText(host) : nil
    }

    /// A NUL-terminated C buffer as text.
    static func cText(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether any interface has an IPv6 address (fail2ban's `IPv6IsAllowed` in `auto` mode).
    static let ipv6InUse: Bool = {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return false }
        defer { freeifaddrs(list) }
        var current = list
        while let entry = current {
            if let address = entry.pointee.ifa_addr, Int32(address.pointee.sa_family) == AF_INET6 { return true }
            current = entry.pointee.ifa_next
        }
        return false
    }()
}
