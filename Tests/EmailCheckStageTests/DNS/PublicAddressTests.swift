@testable import EmailCheckStage
import Foundation
import Testing

@Suite struct PublicAddressTests {
    static func bytes(_ text: String) -> [UInt8] {
        if text.contains(":") {
            var address = in6_addr()
            _ = inet_pton(AF_INET6, text, &address)
            return withUnsafeBytes(of: &address) { Array($0) }
        }
        var address = in_addr()
        _ = inet_pton(AF_INET, text, &address)
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    static let addresses: [(String, Bool)] = [
        ("93.184.215.14", true), ("8.8.8.8", true), ("172.32.0.1", true), ("100.128.0.1", true),
        ("10.1.2.3", false), ("172.16.0.1", false), ("172.31.255.255", false), ("192.168.1.1", false),
        ("127.0.0.1", false), ("0.0.0.0", false), ("169.254.1.1", false), ("100.64.0.1", false),
        ("192.0.2.1", false), ("198.51.100.1", false), ("203.0.113.1", false), ("198.18.0.1", false),
        ("224.0.0.1", false), ("255.255.255.255", false),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", true), ("2a00:1450:4001::1", true),
        ("::1", false), ("::", false), ("fd00::1", false), ("fe80::1", false), ("ff02::1", false),
        ("2001:db8::1", false), ("::ffff:10.0.0.1", false), ("::ffff:93.184.215.14", true), ("100::1", false),
    ]

    @Test("only public addresses count for the A/AAAA fallback", arguments: addresses)
    func publicAddress(_ text: String, _ isPublic: Bool) {
        let bytes = Self.bytes(text)
        #expect((bytes.count == 4 ? PublicAddress.isPublic(ipv4: bytes) : PublicAddress.isPublic(ipv6: bytes)) == isPublic)
    }
}
