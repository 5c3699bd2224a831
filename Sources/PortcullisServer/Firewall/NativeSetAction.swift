import PortcullisActions
import PortcullisConfig
import PortcullisFilter
import PortcullisFirewall

/// `banaction = portcullis-nftables` / `portcullis-ipset`: the jail's bans as elements of a kernel
/// set of its own, each batch of bans (a batch of log lines, every restored ban, every expiry) in
/// one transaction, with the remaining ban time as the element's kernel timeout.
///
/// The shared firewall keeps the desired state; when a command fails the error is logged with
/// its command line, the ban stays recorded in the store, and the firewall's next reconcile
/// (within 5 s) compares every element and applies what the kernel lacks.
actor NativeSetAction: JailAction {
    nonisolated let name: String
    let jail: String
    let firewall: any SetFirewall
    private(set) var managedSet: ManagedSet
    var properties: OrderedOptions
    var jailBanTime: Double

    /// The options a native action reads: which ports and protocol it blocks, and how.
    static func scope(of definition: ActionDefinition) -> BlockScope {
        let options = definition.initOptions
        func value(_ key: String) -> String? { options[key] ?? definition.options[key] }
        return BlockScope(ports: value("port") ?? "", protocol: value("protocol") ?? "tcp",
                          blockType: value("blocktype") ?? "reject")
    }

    /// The kernel set's name: the action's `name` option when given (as stock actions use it), else the jail's.
    static func setName(of definition: ActionDefinition) -> String {
        guard let name = definition.initOptions["name"], !name.isEmpty, name != "default" else { return definition.jailName }
        return name
    }

    init(definition: ActionDefinition, firewall: any SetFirewall, whitelist: [String], jailBanTime: Double) {
        name = definition.actionName
        jail = definition.jailName
        self.firewall = firewall
        managedSet = ManagedSet(name: Self.setName(of: definition), scope: Self.scope(of: definition), whitelist: whitelist)
        var properties = OrderedOptions()
        for (option, value) in definition.initOptions { properties[option] = value }
        self.properties = properties
        self.jailBanTime = jailBanTime
    }

    func start() async throws {
        try await firewall.install(managedSet)
    }

    /// A jail stopped for good (`stop <jail>`, removed by a reload): its set goes.
    func flushAndStop(banned: [BanInfo]) async throws {
        try await firewall.uninstall(setNamed: managedSet.name)
    }

    /// The daemon shuts down: the set stays in the kernel, its elements time out by themselves,
    /// and the next start finds it in place (no unprotected gap during a restart or upgrade).
    func shutDown(banned: [BanInfo]) async throws {}

    func perform(_ operation: ActionOperation, retries: ActionRetryQueue, log: ServerLog, jail: String) async -> Int {
        let now = Clock.now()
        do {
            switch operation {
            case .ban(let infos), .reban(let infos), .prolong(let infos):
                let elements = infos.compactMap { info -> BanElement? in
                    guard IPAddress(info.ip) != nil else { return nil }
                    return BanElement(address: info.ip, expiry: info.banTime < 0 ? nil : info.time + info.banTime)
                }
                try await firewall.apply(setNamed: managedSet.name, add: elements, remove: [], now: now)
                if elements.count >= 1000 {
                    log.log(.info, "fail2ban.actions", "[\(jail)] \(name): \(elements.count) bans applied in one transaction in \(String(format: "%.3f", Clock.now() - now)) s")
                }
            case .unban(let infos):
                try await firewall.apply(setNamed: managedSet.name, add: [], remove: infos.map(\.ip).filter { IPAddress($0) != nil }, now: now)
            case .flush:
                try await firewall.flush(setNamed: managedSet.name)
            }
            return 0
        } catch {
            log.log(.error, "fail2ban.actions", "[\(jail)] \(name): \(error); the ban stays recorded and the set is repaired at the next check")
            return 1
        }
    }

    /// Native sets are checked by the firewall's reconciler, for every set at once.
    func checkAndRepair(log: ServerLog, jail: String) async -> Bool {
        false
    }

    /// `ignoreip` changed (`set <jail> addignoreip`): the whitelist rules follow.
    func updateWhitelist(_ whitelist: [String]) async throws {
        guard whitelist != managedSet.whitelist else { return }
        managedSet.whitelist = whitelist
        try await firewall.install(managedSet)
    }

    func command(_ operation: String) -> String? {
        CommandAction.operations.contains(operation) ? "" : properties[operation]
    }

    func property(_ key: String) -> String? { properties[key] }

    func setProperty(_ key: String, _ value: String) { properties[key] = value }

    func setJailBanTime(_ seconds: Double) { jailBanTime = seconds }
}
