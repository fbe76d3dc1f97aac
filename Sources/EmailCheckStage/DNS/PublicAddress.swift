/// Whether an IP address could receive mail from the internet, for the A/AAAA fallback and for MX hosts.
///
/// A domain whose only address is private (`10.0.0.1`), loopback or reserved cannot take mail
/// from outside, so it counts as having no mail host; an MX host with only such addresses counts
/// as unreachable. Ranges from the IANA special-purpose
/// address registries (RFC 6890 and its updates).
enum PublicAddress {
    static func isPublic(ipv4 a: [UInt8]) -> Bool {
        guard a.count == 4 else { return false }
        switch (a[0], a[1], a[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return false          // "this network", private, loopback
        case (100, 64...127, _): return false                          // shared address space (RFC 6598)
        case (169, 254, _): return false                               // link local
        case (172, 16...31, _): return false                           // private
        case (192, 0, 0), (192, 0, 2): return false                    // IETF protocol assignments, TEST-NET-1
        case (192, 168, _): return false                               // private
        case (198, 18...19, _): return false                           // benchmarking (RFC 2544)
        case (198, 51, 100), (203, 0, 113): return false               // TEST-NET-2, TEST-NET-3
        case (224...255, _, _): return false                           // multicast, reserved, broadcast
        default: return true
        }
    }

    static func isPublic(ipv6 a: [UInt8]) -> Bool {
        guard a.count == 16 else { return false }
        if a[0..<15].allSatisfy({ $0 == 0 }) { return false }                          // :: and ::1
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xff && a[11] == 0xff {       // ::ffff:a.b.c.d
            return isPublic(ipv4: Array(a[12..<16]))
        }
        if a[0] & 0xfe == 0xfc { return false }                                        // fc00::/7 unique local
        if a[0] == 0xfe && a[1] & 0xc0 == 0x80 { return false }                        // fe80::/10 link local
        if a[0] == 0xff { return false }                                               // multicast
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8 { return false } // 2001:db8::/32 documentation
        if a[0] == 0x01 && a[1..<8].allSatisfy({ $0 == 0 }) { return false }           // 100::/64 discard-only
        // Global unicast is 2000::/3; everything else is unassigned or special.
        return a[0] & 0xe0 == 0x20
    }
}
