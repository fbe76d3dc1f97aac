import Foundation
import Testing
import Web

@Suite("SSRF guard")
struct AddressGuardTests {
    @Test(arguments: [
        ("127.0.0.1", BlockedAddressKind.loopback),
        ("127.8.9.10", .loopback),
        ("10.1.2.3", .privateNetwork),
        ("172.16.0.1", .privateNetwork),
        ("172.31.255.254", .privateNetwork),
        ("192.168.1.1", .privateNetwork),
        ("100.64.0.1", .privateNetwork),
        ("169.254.169.254", .metadata),
        ("169.254.1.1", .linkLocal),
        ("0.0.0.0", .unspecified),
        ("224.0.0.1", .reserved),
        ("::1", .loopback),
        ("::", .unspecified),
        ("fd00::1", .privateNetwork),
        ("fe80::1", .linkLocal),
        ("::ffff:10.0.0.1", .privateNetwork),
        ("::ffff:169.254.169.254", .metadata),
        ("fd00:ec2::254", .metadata),
    ])
    func classifiesNonPublicAddresses(address: String, kind: BlockedAddressKind) throws {
        let ip = try #require(IPAddress(address))
        #expect(AddressPolicy.blockedKind(of: ip) == kind)
    }

    @Test(arguments: ["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::6810:84e5"])
    func allowsPublicAddresses(address: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(AddressPolicy.blockedKind(of: ip) == nil)
    }

    @Test(arguments: [
        ("10.1.2.3", BlockedAddressKind.privateNetwork),
        ("169.254.169.254", .metadata),
        ("192.168.0.10", .privateNetwork),
    ])
    func refusesNamesThatResolveToPrivateAddressesWithoutConnecting(address: String, kind: BlockedAddressKind) throws {
        var configuration = FetchConfiguration()
        configuration.resolve = ["internal.test:80:\(address)"]
        configuration.connectTimeout = 2
        let result = fetchOne("http://internal.test/", configuration)
        #expect(result.failure == .blockedAddress(IPAddress(address)!, kind))
    }

    @Test func refusesALoopbackNameEvenWhenAServerListensThere() throws {
        let server = try FixtureSiteServer()
        var configuration = FetchConfiguration()
        configuration.resolve = ["sneaky.test:\(server.port):127.0.0.1"]
        let result = fetchOne("http://sneaky.test:\(server.port)/", configuration)
        #expect(result.failure == .blockedAddress(IPAddress("127.0.0.1")!, .loopback))
        let literal = fetchOne("http://127.0.0.1:\(server.port)/", configuration)
        #expect(literal.failure == .blockedAddress(IPAddress("127.0.0.1")!, .loopback))
        #expect(try server.stats().requests.isEmpty)
    }

    @Test func checksTheAddressConnectedNotTheNameInTheURL() throws {
        let server = try FixtureSiteServer()
        // The URL names moved.test, but connect-to sends the connection to 127.0.0.1: the guard sees the socket address.
        var configuration = server.configuration()
        configuration.allowPrivateAddresses = false
        let result = fetchOne("http://moved.test/", configuration)
        if case .blockedAddress(_, .loopback)? = result.failure {} else { Issue.record("expected a loopback refusal, got \(String(describing: result.failure))") }
        #expect(try server.stats().requests.isEmpty)
    }

    @Test func connectsToPrivateAddressesWhenAllowed() throws {
        let server = try FixtureSiteServer()
        var configuration = FetchConfiguration()
        configuration.allowPrivateAddresses = true
        configuration.resolve = ["acme.test:\(server.port):127.0.0.1"]
        let result = fetchOne("http://acme.test:\(server.port)/", configuration)
        #expect(result.status == 200)
    }

    @Test func refusesASecondRedirectHopToAPrivateAddressAfterAnAllowedFirstHop() throws {
        let server = try FixtureSiteServer()
        // chain.test → chain-hop.test → chain-private.test. Only the server's own address is exempt from the guard,
        // so the first hop is fetched; the second hop's name resolves to 10.0.0.7 and is refused before connecting.
        var configuration = FetchConfiguration()
        configuration.allowedAddresses = [IPAddress("127.0.0.1")!]
        configuration.connectTo = ["chain.test:80:127.0.0.1:\(server.port)", "chain-hop.test:80:127.0.0.1:\(server.port)"]
        configuration.resolve = ["chain-private.test:80:10.0.0.7"]
        configuration.connectTimeout = 2
        let result = fetchOne("http://chain.test/", configuration)
        #expect(result.failure == .blockedAddress(IPAddress("10.0.0.7")!, .privateNetwork))
        #expect(result.redirects.map(\.to) == ["http://chain-hop.test/", "http://chain-private.test/"])
        #expect(try server.stats().requests.map { $0[0] } == ["chain.test", "chain-hop.test"])
    }

    @Test func exemptsOnlyTheListedAddressesFromTheGuard() throws {
        let server = try FixtureSiteServer()
        var configuration = FetchConfiguration()
        configuration.allowedAddresses = [IPAddress("127.0.0.2")!]
        configuration.resolve = ["acme.test:\(server.port):127.0.0.1"]
        let refused = fetchOne("http://acme.test:\(server.port)/", configuration)
        #expect(refused.failure == .blockedAddress(IPAddress("127.0.0.1")!, .loopback))
        configuration.allowedAddresses = [IPAddress("127.0.0.1")!]
        let allowed = fetchOne("http://acme.test:\(server.port)/", configuration)
        #expect(allowed.status == 200)
        #expect(allowed.remoteAddress == "127.0.0.1")
    }
}
