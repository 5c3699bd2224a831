// Replaced as the target is built; see Package.swift for what PortcullisClient holds.
enum PortcullisClientTarget {}
