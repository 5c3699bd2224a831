import PortcullisConfig

/// `/api/jails`: `[{"name","currently_failed","total_failed","currently_banned","total_banned","sources","backend"}]`,
/// the numbers of `fail2ban-client status JAIL`, sorted by name.
enum JailListRenderer {
    static func json(_ jails: [JailSummary]) -> String {
        let objects = jails.sorted { $0.name < $1.name }.map { jail in
            "{\"name\":\(JSONText.quoted(jail.name)),\"currently_failed\":\(jail.currentlyFailed),"
                + "\"total_failed\":\(jail.totalFailed),\"currently_banned\":\(jail.currentlyBanned),"
                + "\"total_banned\":\(jail.totalBanned),\"sources\":[\(jail.sources.map { JSONText.quoted($0) }.joined(separator: ","))],"
                + "\"backend\":\(JSONText.quoted(jail.backend))}"
        }
        return BanTableRenderer.jsonArray(objects)
    }
}
