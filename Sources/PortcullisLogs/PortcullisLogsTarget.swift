// Replaced as the target is built; see Package.swift for what PortcullisLogs holds.
enum PortcullisLogsTarget {}
