import EmailCheckStage
import Foundation
import TestSupport

/// dnsmasq on 127.0.0.1 with the zone every DNS test uses; always stopped by ``withTestNameServer(_:)``.
///
/// `--local=/test/` makes dnsmasq authoritative for `.test`, so names it does not know are NXDOMAIN;
/// `fail.test` is forwarded to a port where nothing listens, which dnsmasq answers with SERVFAIL.
/// dnsmasq puts the addresses it knows (`--host-record`) of MX hosts in the MX answer's additional section.
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
            "--mx-host=xn--bcher-kva.test,mx.xn--bcher-kva.test,10",     // bücher.test
            "--host-record=mx.xn--bcher-kva.test,\(publicIPv4)",
            "--host-record=mx1.a-rather-long-mail-exchanger-name.big.test,\(publicIPv4)",
            // MX hosts to follow: NOERROR without an address, then NXDOMAIN.
            "--mx-host=deadmx.test,parked.deadmx.test,10", "--mx-host=deadmx.test,gone.deadmx.test,20",
            "--txt-record=parked.deadmx.test,parked",
            "--mx-host=backupmx.test,gone.backupmx.test,10", "--mx-host=backupmx.test,alive.backupmx.test,20",
            "--host-record=alive.backupmx.test,\(publicIPv6)",
            "--mx-host=privatemx.test,mail.privatemx.test,10",
            "--host-record=mail.privatemx.test,10.0.0.25", "--host-record=mail.privatemx.test,fd00::25",
            "--mx-host=flakymx.test,mx.fail.test,10",
            "--mx-host=flakybackupmx.test,mx.fail.test,10", "--mx-host=flakybackupmx.test,alias.aliasmx.test,20",
            "--mx-host=parked-a.test,ns.parking.test,10", "--mx-host=parked-b.test,ns.parking.test,10",
            // A CNAME's address is not in the additional section: the host is looked up.
            "--mx-host=aliasmx.test,alias.aliasmx.test,10", "--cname=alias.aliasmx.test,mail.mx.test",
            "--server=/fail.test/127.0.0.1#\(deadPort)",
        ] + bigAnswer + smtpDomains.flatMap { ["--mx-host=\($0).test,mx.\($0).test,10", "--host-record=mx.\($0).test,\(publicIPv4)"] }
    }

    /// Domains whose one MX host the SMTP tests map to the loopback SMTP server (`smtp.host_addresses`).
    static let smtpDomains = ["mailbox", "catchall", "grey", "slow", "refused"]

    /// 30 MX records with long names: over 512 bytes, so the UDP answer is truncated and glibc retries over TCP.
    static let bigAnswer = (1...30).map { "--mx-host=big.test,mx\($0).a-rather-long-mail-exchanger-name.big.test,\($0)" }
}

/// Runs `body` with a dnsmasq serving ``TestZone`` and stops it afterwards, even on a throw.
func withTestNameServer<T>(_ body: (_ port: Int) throws -> T) throws -> T {
    let server = try SpawnedNameServer.start { port in TestZone.arguments(port: port, deadPort: LocalServer.freePort()) }
    defer { server.stop() }
    return try body(server.port)
}

/// dnsmasq started with `posix_spawn` rather than Foundation's `Process`.
///
/// Two traps of `Process` on Linux with dnsmasq: the child inherits the Dispatch thread's blocked
/// signals, so SIGTERM never stops it; and Foundation's child monitor then blocks in `wait4` on it,
/// so other `Process` children (the `leadhygiene` binary under test) are never reaped. Here the
/// child gets an empty signal mask and default handlers, and we reap it ourselves.
final class SpawnedNameServer {
    let pid: pid_t
    let port: Int

    /// Starts dnsmasq on a free port, and on another one if it exits at once with status 2 ("address in use"):
    /// the port was free when the kernel picked it, but another test's server can take it before dnsmasq binds.
    static func start(attempts: Int = 5, arguments: (_ port: Int) -> [String]) throws -> SpawnedNameServer {
        var lastError: Error = LocalServerError.notReady("/usr/sbin/dnsmasq", 0)
        for _ in 0..<attempts {
            let port = LocalServer.freePort()
            do {
                return try SpawnedNameServer(arguments: arguments(port), port: port)
            } catch LocalServerError.exited(let executable, let status) where status == 2 << 8 {
                lastError = LocalServerError.exited(executable, status)
            }
        }
        throw lastError
    }

    init(arguments: [String], port: Int) throws {
        self.port = port
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0)
        let executable = "/usr/sbin/dnsmasq"
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var child = pid_t()
        let status = posix_spawn(&child, executable, &files, &attributes, &argv, environ)
        guard status == 0 else { throw LocalServerError.exited(executable, status) }
        pid = child
        for _ in 0..<250 {
            if LocalServer.canConnect(port: port) { return }
            var exitStatus: Int32 = 0
            if waitpid(pid, &exitStatus, WNOHANG) == pid { throw LocalServerError.exited(executable, exitStatus) }
            usleep(20_000)
        }
        stop()
        throw LocalServerError.notReady(executable, port)
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }
}

extension EmailChecker {
    /// The bundled checker with `.test` allowed, as the test zone's addresses need (`special_use_domains: { allow: [test] }`).
    static var forTestZone: EmailChecker {
        var checker = EmailChecker.bundled()
        checker.specialUse = SpecialUseDomains(allowing: ["test"])
        return checker
    }
}
