// EmailCheckBench: syntax checks per second on 1M generated addresses (1 and 2 threads), the whole
// offline assessment per second, DNS verdicts per second against a local dnsmasq, the stage with DNS off, on,
// and with an untrusted resolver, and `leadhygiene check-email` through the CLI.
// One line per figure: what, records, seconds, records/s, peak RSS. Data is seeded; network is loopback only.
import Dispatch
import EmailCheckStage
import Foundation
import LeadFacts
import LeadRecords
import LeadSampleGenerator
import PipelineFileLoading
import PipelineSpec
import Synchronization

func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func report(_ what: String, records: Int, seconds: Double) {
    let rate = Double(records) / seconds
    print(String(format: "%@\t%d\t%.3f s\t%.0f records/s\t%.0f MiB peak RSS", what, records, seconds, rate, ResidentMemory.peakMiB))
}

/// Splits `count` items across `threads` workers and runs `work(range)` on each, returning wall seconds.
func timed(threads: Int, count: Int, _ work: @escaping @Sendable (Range<Int>) -> Void) -> Double {
    let start = seconds()
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        work((count * t / threads)..<(count * (t + 1) / threads))
    }
    return seconds() - start
}

struct Addresses: @unchecked Sendable { let all: [String] }

func generatedAddresses(_ count: Int) -> Addresses {
    // The seed is a date, written as one.
    // swift-format-ignore: GroupNumericLiterals
    var generator = LeadSampleGenerator(.init(rows: count, seed: 20261126))
    let emailColumn = LeadSampleGenerator.leadColumns.firstIndex(of: "Email")!
    var emails: [String] = []
    emails.reserveCapacity(count)
    generator.generate { row in emails.append(row.values.count > emailColumn ? row.values[emailColumn] : "") }
    return Addresses(all: emails)
}

func syntaxBench(_ addresses: Addresses) {
    let checker = EmailSyntaxChecker()
    for threads in [1, 2] {
        var best = Double.infinity
        let invalid = Mutex(0)
        for _ in 0..<3 {
            invalid.withLock { $0 = 0 }
            best = min(best, timed(threads: threads, count: addresses.all.count) { range in
                var bad = 0
                for i in range where checker.problem(in: addresses.all[i]) != nil { bad += 1 }
                invalid.withLock { $0 += bad }
            })
        }
        report("syntax_check_\(threads)_thread\(threads > 1 ? "s" : "")", records: addresses.all.count, seconds: best)
        if threads == 1 { print("  (\(invalid.withLock { $0 }) of \(addresses.all.count) generated addresses have invalid syntax)") }
    }
    let full = EmailChecker.bundled()
    for threads in [1, 2] {
        let elapsed = timed(threads: threads, count: addresses.all.count) { range in
            var memo: [String: DomainFacts] = [:]
            var checksum = 0
            for i in range {
                if i % PipelineFile.defaultChunkSize == 0 { memo.removeAll(keepingCapacity: true) } // a chunk's memo, as in the stage
                checksum &+= full.assess(addresses.all[i], memo: &memo).normalized.utf8.count
            }
            precondition(checksum > 0)
        }
        report("assess_offline_\(threads)_thread\(threads > 1 ? "s" : "") (syntax+normalize+lists+typos)",
               records: addresses.all.count, seconds: elapsed)
    }
}

/// dnsmasq on a free loopback port, spawned with an empty signal mask so SIGTERM stops it.
func startNameServer(domains: [String], port: Int, everythingLocal: Bool = false) -> pid_t? {
    let conf = FileManager.default.temporaryDirectory.appendingPathComponent("email-bench-\(getpid())-\(port).conf").path
    var text = "port=\(port)\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\nlocal=/bench/\n"
    if everythingLocal { text += "local=/#/\n" }
    for (i, domain) in domains.enumerated() {
        switch i % 4 {
        case 0, 1: text += "mx-host=\(domain),mx.\(domain),10\n"
        case 2: text += "host-record=\(domain),93.184.215.\(i % 250 + 1)\n"
        default: break // NXDOMAIN
        }
    }
    try? text.write(toFile: conf, atomically: true, encoding: .utf8)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    var noSignals = sigset_t(), allSignals = sigset_t()
    sigemptyset(&noSignals)
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var files = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&files)
    posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0)
    let args = ["/usr/sbin/dnsmasq", "--keep-in-foreground", "--pid-file=", "--conf-file=\(conf)", "--log-facility=/dev/null",
                "--cache-size=0"]
    var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
    var pid = pid_t()
    let status = posix_spawn(&pid, args[0], &files, &attributes, &argv, environ)
    for arg in argv { free(arg) }
    guard status == 0 else { return nil }
    // Ready when a query answers.
    let probe = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port, timeoutSeconds: 1, attempts: 1),
                                    concurrency: 1)
    for _ in 0..<100 {
        if probe.verdict(for: "ready-probe-\(UUID().uuidString.prefix(8)).bench").isDefinitive { return pid }
        usleep(50_000)
    }
    kill(pid, SIGTERM)
    return nil
}

func freeUDPPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

func dnsBench(domainCount: Int) {
    let domains = (0..<domainCount).map { "d\($0).bench" }
    let port = freeUDPPort()
    guard let pid = startNameServer(domains: domains, port: port) else {
        print("dns_check\tskipped: dnsmasq did not start")
        return
    }
    defer {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
    for concurrency in [1, 16, 64] {
        let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port),
                                         concurrency: concurrency)
        let start = seconds()
        let verdicts = lookup.verdicts(for: domains)
        let elapsed = seconds() - start
        precondition(verdicts.count == domains.count && lookup.statistics.failures == 0, "DNS bench saw failures")
        report("dns_check_concurrency_\(concurrency) (domains, MX then A/AAAA fallback)", records: domains.count, seconds: elapsed)
    }
}

/// The whole stage over generated rows in chunks of the default `chunk_size` on 2 threads, as the executor runs it;
/// with DNS, every domain is answered by a dnsmasq that is authoritative for everything (`--local=/#/`).
func stageBench(_ addresses: Addresses, rows: Int) {
    let port = freeUDPPort()
    let dnsmasq = startNameServer(domains: [], port: port, everythingLocal: true)
    defer {
        if let dnsmasq {
            kill(dnsmasq, SIGTERM)
            var status: Int32 = 0
            waitpid(dnsmasq, &status, 0)
        }
    }
    if dnsmasq == nil { print("email_check_stage_2_threads (DNS via dnsmasq)\tskipped: dnsmasq did not start") }
    let schema = EmailCheckStage.descriptor.options
    guard case .object(let dnsSchema)? = schema.spec(named: "dns")?.type else { return }
    let emails = Array(addresses.all.prefix(rows))
    // The dnsmasq answers NXDOMAIN for gmail.com too: with the canary off every domain is looked up; with the
    // default canary the resolver is untrusted and nothing is (the case of a locked-down data-job host).
    enum Mode { case off, dns, untrusted }
    for mode in [Mode.off, .dns, .untrusted] where mode == .off || dnsmasq != nil {
        let dns = switch mode {
        case .off: OptionValues(schema: dnsSchema, given: ["enabled": .bool(false)])
        case .dns: OptionValues(schema: dnsSchema, given: ["server": .string("127.0.0.1"), "port": .integer(port), "concurrency": .integer(32),
                                                          "canary": .string("")])
        case .untrusted: OptionValues(schema: dnsSchema, given: ["server": .string("127.0.0.1"), "port": .integer(port), "concurrency": .integer(32)])
        }
        guard let stage = try? EmailCheckStage(options: OptionValues(schema: schema, given: ["dns": .object(dns)]),
                                               context: StageContext(pipelineFile: "bench", jobs: 2)) else { return }
        var columns = Schema(inputColumns: ["Email"])
        guard case .streaming(let frozen)? = try? stage.bound(schema: &columns, columns: ColumnBindings([.email: ColumnIndex(0)])) else { return }
        let chunkSize = PipelineFile.defaultChunkSize
        let chunks = stride(from: 0, to: emails.count, by: chunkSize).map { start in
            emails[start..<min(start + chunkSize, emails.count)].enumerated().map { Record(values: [$1], line: start + $0 + 2) }
        }
        struct Chunks: @unchecked Sendable { let all: [[Record]] }
        let work = Chunks(all: chunks)
        let next = Mutex(0)
        let start = seconds()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while true {
                let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                guard index < work.all.count else { return }
                var records = work.all[index]
                frozen.process(&records)
            }
        }
        let elapsed = seconds() - start
        var domains = 0
        if case .integer(let resolved)? = ReportValue.object(frozen.report(erased: nil))["dns"]?["domains_resolved"] { domains = resolved }
        let label = switch mode {
        case .off: "DNS off"
        case .dns: "DNS via dnsmasq, \(domains) domains"
        case .untrusted: "untrusted resolver: canary denied, \(domains) domains looked up"
        }
        report("email_check_stage_2_threads (\(label))", records: emails.count, seconds: elapsed)
    }
}

/// `leadhygiene check-email --no-dns -` on the addresses through a pipe: the CLI's JSON lines included.
func checkEmailCLIBench(_ addresses: Addresses, rows: Int) {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("leadhygiene").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("check_email_cli\tskipped: \(binary) not built")
        return
    }
    let input = Data((addresses.all.prefix(rows).map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n").utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["check-email", "--no-dns", "-"]
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    let start = seconds()
    do { try process.run() } catch { print("check_email_cli\tskipped: \(error)"); return }
    let writer = Thread {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    var lines = 0
    while let chunk = try? stdout.fileHandleForReading.read(upToCount: 1 << 20), !chunk.isEmpty {
        lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
    process.waitUntilExit()
    let elapsed = seconds() - start
    precondition(lines == rows, "check-email printed \(lines) lines for \(rows) addresses")
    report("check_email_cli (--no-dns, JSON lines through a pipe)", records: rows, seconds: elapsed)
}

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000
let generationStart = seconds()
let addresses = generatedAddresses(count)
print(String(format: "generated %d addresses in %.1f s (seed 20261126)", addresses.all.count, seconds() - generationStart))
syntaxBench(addresses)
dnsBench(domainCount: 4000)
stageBench(addresses, rows: min(addresses.all.count, 200_000))
checkEmailCLIBench(addresses, rows: min(addresses.all.count, 200_000))
