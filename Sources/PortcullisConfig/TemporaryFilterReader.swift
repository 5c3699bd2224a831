
// TEMPORARY until the config reader lands: the calls the regex command makes of it.
public enum OptionSpec {
    public static func split(_ value: String) throws -> (String, [String: String]) {
        guard let open = value.firstIndex(of: "[") else { return (value, [:]) }
        return (String(value[..<open]), [:])
    }
}

public enum FilterReader {
    public struct NotYet: Error {}
    public static func load(name: String, options: [String: String], configDirectory: String) throws -> FilterDefinition { throw NotYet() }
    public static func load(path: String, options: [String: String]) throws -> FilterDefinition { throw NotYet() }
}
