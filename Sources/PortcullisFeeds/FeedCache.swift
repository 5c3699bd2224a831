import Foundation

/// The last list a feed applied, kept on disk (`<dir>/feed-NAME.list`, one address per line in no particular order, and
/// `<dir>/feed-NAME.meta`, JSON) so a restarted daemon blocks the feed's addresses before its
/// first fetch — and keeps blocking them if the server is down at that moment.
///
/// Both files are written to a temporary file in the same folder, flushed and renamed over the
/// old one: a crash leaves the previous version or the new one, never half a list.
public struct FeedCache: Sendable {
    /// What the cache knows besides the list.
    public struct Metadata: Sendable, Equatable, Codable {
        /// The URL or path the list came from: validators are only reused for the same source.
        public var source: String
        public var validators: FeedValidators
        /// When a fetch last succeeded (a new list or "not modified"), seconds since 1970.
        public var lastSuccess: Double

        public init(source: String, validators: FeedValidators, lastSuccess: Double) {
            self.source = source
            self.validators = validators
            self.lastSuccess = lastSuccess
        }
    }

    /// A cache file could not be written: the path and the system's reason.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public let directory: String
    public let name: String

    public init(directory: String, name: String) {
        self.directory = directory
        // A section name becomes a file name: no folder separators, no hidden files.
        self.name = String(name.map { $0 == "/" || $0 == "\0" ? "_" : $0 }).replacingOccurrences(of: "..", with: "__")
    }

    public var listPath: String { directory + "/" + name + ".list" }
    public var metadataPath: String { directory + "/" + name + ".meta" }

    /// The cached list and its metadata, or nil when there is none (or it cannot be read: a
    /// damaged cache only costs the head start, the first fetch rebuilds it). `parser`: the feed's,
    /// so an address `ignoreip` now covers is not restored.
    public func load(parser: FeedParser = FeedParser()) -> (addresses: Set<String>, metadata: Metadata)? {
        guard let metaData = FileManager.default.contents(atPath: metadataPath),
              let metadata = try? JSONDecoder().decode(Metadata.self, from: metaData),
              let list = FileManager.default.contents(atPath: listPath) else { return nil }
        return (parser.parse(list).addresses, metadata)
    }

    /// Replaces the list (when given) and the metadata.
    public func save(addresses: Set<String>?, metadata: Metadata) throws(WriteError) {
        try createDirectory()
        if let addresses {
            var text = Data()
            text.reserveCapacity(addresses.count * 16)
            for address in addresses {
                text.append(contentsOf: address.utf8)
                text.append(UInt8(ascii: "\n"))
            }
            try Self.writeAtomically(text, to: listPath)
        }
        let encoded: Data
        do { encoded = try JSONEncoder().encode(metadata) } catch {
            throw WriteError(path: metadataPath, reason: "\(error)")
        }
        try Self.writeAtomically(encoded, to: metadataPath)
    }

    /// Removes both files (the feed's list was dropped).
    public func remove() {
        unlink(listPath)
        unlink(metadataPath)
    }

    private func createDirectory() throws(WriteError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw WriteError(path: directory, reason: (error as NSError).localizedDescription)
        }
    }

    /// Temporary file, `fsync`, `rename`.
    static func writeAtomically(_ data: Data, to path: String) throws(WriteError) {
        let temporary = path + ".tmp-\(getpid())"
        func failure(_ at: String) -> WriteError { WriteError(path: at, reason: String(cString: strerror(errno))) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(temporary) }
        let written: Bool = data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { return false }
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else {
            let error = failure(temporary)
            close(fd); unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = failure(path)
            unlink(temporary)
            throw error
        }
    }
}
