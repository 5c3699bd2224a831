// Replaced by the PortcullisActions tests as the target is built.
import Testing
