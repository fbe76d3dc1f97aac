// Tests reach the loopback server processes through TestSupport, as before they had their own target.
@_exported import LocalServers
