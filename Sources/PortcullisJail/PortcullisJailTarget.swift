// Replaced as the target is built; see Package.swift for what PortcullisJail holds.
enum PortcullisJailTarget {}
