/// The version `portcullis --version` and `fail2ban-client version` print, and the fail2ban
/// release whose configuration and behaviour it follows.
public enum PortcullisVersion {
    public static let version = "0.3.0"
    public static let fail2banCompatible = "1.0.2"
    public static var description: String { "Portcullis v\(version) (fail2ban \(fail2banCompatible) compatible)" }
}
