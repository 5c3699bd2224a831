import Foundation
import PortcullisSystem
#if canImport(Glibc)
import Glibc
#endif

/// "The ruleset changed" signals from the kernel: a `NETLINK_NETFILTER` socket subscribed to
/// the nftables multicast group (`NFNLGRP_NFTABLES`), so a `nft flush ruleset`, a firewall reload
/// or an `iptables-nft` change is noticed at once instead of at the next poll.
///
/// Every change in the process's network namespace that could lose a ban is signalled — our own
/// transactions too, so a caller typically runs the cheap `reconcile(full: false)` on each
/// signal; added set elements alone (each ban) are not. Signals are coalesced:
/// a burst of netlink messages yields one element, and the stream keeps only the newest pending
/// one. The socket is read on a dedicated thread blocked in `poll`, never on the cooperative pool.
/// If the socket cannot be opened (no permission, no nf_tables), the stream finishes at once:
/// fall back to polling.
public final class NetlinkRulesetMonitor: Sendable {
    /// `/var/run/netns/NAME` to watch another namespace (entered with `setns` on the reader
    /// thread only); nil watches the process's own.
    public let namespacePath: String?
    private let stopPipe = WakePipe()
    private let membership = Membership()

    static let netlinkNetfilter: Int32 = 12
    static let nftablesGroup: UInt32 = 7
    static let cloneNewNet: Int32 = 0x4000_0000

    public init(namespacePath: String? = nil) {
        self.namespacePath = namespacePath
    }

    /// A new stream of change signals, read on its own thread until `stop()`.
    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        guard let stop = stopPipe?.readDescriptor else {
            continuation.finish()
            return stream
        }
        let namespacePath = self.namespacePath
        let membership = self.membership
        let thread = Thread {
            Self.read(namespacePath: namespacePath, stop: stop, membership: membership) { continuation.yield() }
            continuation.finish()
        }
        thread.name = "portcullis-netlink"
        thread.start()
        return stream
    }

    /// Ends every stream of this monitor (their threads close their sockets).
    public func stop() {
        stopPipe?.signal()
    }

    /// Leaves the nftables group while one of our own large transactions runs: the kernel builds
    /// a notification per set element for every listener, which more than doubles the time of a
    /// 100,000-element load. Nested calls count; `resume()` joins again and signals a change, so
    /// whatever happened meanwhile is still checked.
    public func pause() {
        membership.change(+1)
    }

    public func resume() {
        if membership.change(-1) { membership.nudge?.signal() }
    }

    /// The socket's group membership, shared by the reader thread and `pause`/`resume` callers.
    final class Membership: @unchecked Sendable {
        private let lock = NSLock()
        private var socket: Int32 = -1
        private var paused = 0
        /// Wakes the reader after a pause so it signals a change.
        let nudge = WakePipe()

        func attach(_ fd: Int32) {
            lock.withLock {
                socket = fd
                if paused > 0 { Self.setMembership(fd, join: false) }
            }
        }

        func detach() { lock.withLock { socket = -1 } }

        /// Changes the pause count; true when this call resumed listening.
        @discardableResult
        func change(_ delta: Int) -> Bool {
            lock.withLock {
                let before = paused
                paused = max(0, paused + delta)
                guard socket >= 0 else { return before > 0 && paused == 0 }
                if before == 0 && paused > 0 { Self.setMembership(socket, join: false) }
                if before > 0 && paused == 0 {
                    Self.setMembership(socket, join: true)
                    return true
                }
                return false
            }
        }

        /// `setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP / NETLINK_DROP_MEMBERSHIP, NFNLGRP_NFTABLES)`.
        private static func setMembership(_ fd: Int32, join: Bool) {
            var group = NetlinkRulesetMonitor.nftablesGroup
            _ = setsockopt(fd, 270, join ? 1 : 2, &group, socklen_t(MemoryLayout<UInt32>.size))
        }
    }

    /// The reader thread's body: returns when stopped or when the socket fails.
    private static func read(namespacePath: String?, stop: Int32, membership: Membership, signal: () -> Void) {
        if let namespacePath, !LibSymbols.enterNetworkNamespace(namespacePath) { return }
        guard let socket = openSocket() else { return }
        membership.attach(socket)
        defer {
            membership.detach()
            close(socket)
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let nudge = membership.nudge?.readDescriptor ?? -1
        while true {
            var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: nudge, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 3, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            if fds[2].revents != 0 {
                membership.nudge?.drain()
                signal()
            }
            guard fds[0].revents != 0 else { continue }
            // Drain the whole burst, then signal once. ENOBUFS (we fell behind) is a change too.
            var changed = false
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if n > 0 {
                    if !changed { changed = buffer.withUnsafeBytes { Self.canLoseBans(UnsafeRawBufferPointer(rebasing: $0[..<n])) } }
                    continue
                }
                if n < 0 && errno == ENOBUFS {
                    changed = true
                    continue
                }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
                return
            }
            if changed { signal() }
        }
    }

    /// Whether a datagram of notifications holds anything but added set elements and the
    /// generation that closes each transaction. Adding elements never removes a ban, and every
    /// ban the daemon makes is such an addition: signalling those made each ban start a check
    /// (a shell for the stock actions' `actioncheck`) that competed with the next ban for the CPU.
    public static func canLoseBans(_ datagram: UnsafeRawBufferPointer) -> Bool {
        // struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq; __u32 nlmsg_pid; }
        let newSetElement = NetfilterNetlink.subsystemNftables << 8 | NetfilterNetlink.newSetElement
        let newGeneration = NetfilterNetlink.subsystemNftables << 8 | NetfilterNetlink.newGeneration
        var offset = 0
        while offset + 16 <= datagram.count {
            let length = Int(datagram.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let type = datagram.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)
            guard length >= 16 else { return true }
            if type != newSetElement && type != newGeneration { return true }
            offset += (length + 3) & ~3
        }
        return offset < datagram.count
    }

    /// `socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER)` bound to the nftables group.
    private static func openSocket() -> Int32? {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkNetfilter)
        guard fd >= 0 else { return nil }
        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        var address = [UInt8](repeating: 0, count: 12)
        withUnsafeBytes(of: UInt16(AF_NETLINK)) { address.replaceSubrange(0..<2, with: $0) }
        withUnsafeBytes(of: UInt32(1) << (nftablesGroup - 1)) { address.replaceSubrange(8..<12, with: $0) }
        let bound = address.withUnsafeBytes { raw in
            bind(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        guard bound == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}

/// C functions behind `_GNU_SOURCE` that Glibc's Swift module does not import.
enum LibSymbols {
    typealias Setns = @convention(c) (Int32, Int32) -> Int32
    static let setns: Setns? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns").map { unsafeBitCast($0, to: Setns.self) }

    /// Moves the calling thread (only it) into the network namespace at `path` (`/var/run/netns/NAME`).
    static func enterNetworkNamespace(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let setns else { return false }
        return setns(fd, NetlinkRulesetMonitor.cloneNewNet) == 0
    }
}

