import Foundation
import TestSupport

/// dnsmasq on 127.0.0.1 with the zone every DNS test uses; always stopped by ``withTestNameServer(_:)``.
///
/// `--local=/test/` makes dnsmasq authoritative for `.test`, so names it does not know are NXDOMAIN;
/// `fail.test` is forwarded to a port where nothing listens, which dnsmasq answers with SERVFAIL.
enum TestZone {
    static let publicIPv4 = "93.184.215.14"
    static let publicIPv6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"

    static func arguments(port: Int, deadPort: Int) -> [String] {
        [
            "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=", "--port=\(port)",
            "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/test/",
            "--log-facility=/dev/null",
            "--mx-host=mx.test,mail.mx.test,10", "--mx-host=mx.test,backup.mx.test,20",
            "--host-record=mail.mx.test,\(publicIPv4)",
            "--mx-host=nullmx.test,.,0",
            "--host-record=aonly.test,\(publicIPv4)",
            "--host-record=aaaaonly.test,\(publicIPv6)",
            "--host-record=private.test,10.1.2.3", "--host-record=private.test,fd00::1",
            "--host-record=loopback.test,127.0.0.2",
            "--txt-record=textonly.test,hello",
            "--mx-host=mailinator.test,mx.mailinator.test,10",
            "--server=/fail.test/127.0.0.1#\(deadPort)",
        ]
    }
}

/// Runs `body` with a dnsmasq serving ``TestZone`` and stops it afterwards, even on a throw.
///
/// dnsmasq inherits the blocked-signal mask of the Dispatch thread that spawned it, so the SIGTERM
/// of `LocalServer.stop()` never reaches it; SIGKILL cannot be blocked.
func withTestNameServer<T>(_ body: (_ port: Int) throws -> T) throws -> T {
    let port = LocalServer.freePort()
    let deadPort = LocalServer.freePort()
    let server = try LocalServer(executable: "/usr/sbin/dnsmasq",
                                 arguments: TestZone.arguments(port: port, deadPort: deadPort), port: port)
    defer {
        kill(server.process.processIdentifier, SIGKILL)
        server.stop()
    }
    return try body(port)
}
