// Replaced by the PortcullisClient tests as the target is built.
import Testing
