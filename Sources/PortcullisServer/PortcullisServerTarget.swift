// Replaced as the target is built; see Package.swift for what PortcullisServer holds.
enum PortcullisServerTarget {}
