// Replaced by the PortcullisJail tests as the target is built.
import Testing
