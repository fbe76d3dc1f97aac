/// Why an address is refused when `allow_private` is off: hostile lead lists must not turn the
/// scraper into a probe of the machine it runs on or of its cloud's metadata service.
public enum BlockedAddressKind: String, Sendable {
    case loopback
    case privateNetwork = "private"
    case linkLocal = "link_local"
    case metadata
    case unspecified
    case reserved
}

/// Classifies the addresses libcurl is about to connect to (the SSRF guard).
package enum AddressPolicy {
    /// The reason to refuse `address`, or `nil` when it is a public unicast address.
    package static func blockedKind(of address: IPAddress) -> BlockedAddressKind? {
        let b = address.bytes
        if b.count == 4 { return blockedIPv4(b[0], b[1], b[2], b[3]) }
        // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (RFC 6052 NAT64) reach an IPv4 host.
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff
            || b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..<12].allSatisfy({ $0 == 0 }) {
            return blockedIPv4(b[12], b[13], b[14], b[15])
        }
        if b[0..<15].allSatisfy({ $0 == 0 }) {
            return b[15] == 1 ? .loopback : .unspecified   // ::1 and ::
        }
        // fd00:ec2::254 is the AWS IPv6 metadata address; it also falls in fc00::/7 below.
        if b == [0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54] { return .metadata }
        if b[0] & 0xfe == 0xfc { return .privateNetwork }              // fc00::/7 unique local (RFC 4193)
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return .linkLocal }   // fe80::/10
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return .privateNetwork } // fec0::/10 deprecated site-local
        if b[0] == 0xff { return .reserved }                           // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return .reserved } // 2001:db8::/32 documentation
        return nil
    }

    private static func blockedIPv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> BlockedAddressKind? {
        // RFC 6890 special-purpose ranges a public web site never lives on.
        if a == 169 && b == 254 && c == 169 && d == 254 { return .metadata }   // cloud instance metadata
        if a == 100 && b == 100 && c == 100 && d == 200 { return .metadata }   // Alibaba Cloud metadata
        switch a {
        case 0: return .unspecified
        case 10: return .privateNetwork
        case 127: return .loopback
        case 100 where b & 0xc0 == 64: return .privateNetwork              // 100.64.0.0/10 carrier-grade NAT
        case 169 where b == 254: return .linkLocal
        case 172 where b & 0xf0 == 16: return .privateNetwork
        case 192 where b == 168: return .privateNetwork
        case 192 where b == 0 && c == 0: return .reserved                   // 192.0.0.0/24 IETF protocol assignments
        case 192 where b == 0 && c == 2, 198 where b == 51 && c == 100, 203 where b == 0 && c == 113:
            return .reserved                                                // documentation ranges
        case 198 where b & 0xfe == 18: return .reserved                     // 198.18.0.0/15 benchmarking
        case 224...255: return .reserved                                    // multicast, 240/4, broadcast
        default: return nil
        }
    }
}
