// Replaced as the target is built; see Package.swift for what PortcullisActions holds.
enum PortcullisActionsTarget {}
