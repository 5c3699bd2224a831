// Replaced by the PortcullisStore tests as the target is built.
import Testing
