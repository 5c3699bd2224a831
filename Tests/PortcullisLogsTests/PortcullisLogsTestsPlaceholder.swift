// Replaced by the PortcullisLogs tests as the target is built.
import Testing
