// Replaced by the PortcullisServer tests as the target is built.
import Testing
