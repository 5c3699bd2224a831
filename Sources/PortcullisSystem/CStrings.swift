#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` with `strings` as a C array of C strings (`const char *const *`), with a trailing
/// nil when `nilTerminated`: libcurl's header list, sd-journal's file list. The copies live for
/// the call only.
public func withCStrings<Result>(_ strings: [String], nilTerminated: Bool = false,
                                 _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) throws -> Result) rethrows -> Result {
    var pointers: [UnsafePointer<CChar>?] = strings.map { UnsafePointer(strdup($0)) }
    if nilTerminated { pointers.append(nil) }
    defer { for pointer in pointers { free(UnsafeMutablePointer(mutating: pointer)) } }
    return try pointers.withUnsafeBufferPointer(body)
}
