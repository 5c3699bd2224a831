// Replaced as the target is built; see Package.swift for what PortcullisStore holds.
enum PortcullisStoreTarget {}
