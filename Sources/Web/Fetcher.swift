import CCurl
import Foundation
import LeadFacts

/// Fetches many URLs at once through libcurl's multi interface, politely and safely.
///
/// Queue requests with ``enqueue(_:completion:)`` and drive everything with ``run()``, which
/// returns when the queue is empty and no transfer is running. Completions run on the calling
/// thread, inside `run()`, and may queue further requests (a crawler follows links this way).
///
/// The fetcher enforces, for every request: http/https only, no credentials in URLs, the SSRF
/// guard on the address actually connected, the global and per-host concurrency caps and the
/// per-host delay, connect and total timeouts, a decoded body size cap, redirects followed by hand
/// (each hop re-checked and recorded) and retries with back-off on 429 and 5xx honouring Retry-After.
///
/// It is deliberately not `Sendable`: one thread owns it, as libcurl's multi handle requires.
public final class Fetcher {
    /// The limits and safety settings in force.
    public let configuration: FetchConfiguration
    /// What the fetcher did so far.
    public private(set) var statistics = FetchStatistics()

    private let multi: UnsafeMutableRawPointer
    private let watch = CurlSocketWatch()
    private var scheduler: HostScheduler<FetchJob>
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var spareHandles: [UnsafeMutableRawPointer] = []
    /// CURLOPT_RESOLVE entries grouped by host name: libcurl re-reads the whole list on every transfer,
    /// so a transfer gets only its own host's entries (a 1,000-entry list cost more CPU than the transfer).
    private var resolveLists: [String: UnsafeMutablePointer<curl_slist>] = [:]
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?
    private var immediate: [(FetchResult, (FetchResult) -> Void)] = []

    public init(configuration: FetchConfiguration = FetchConfiguration()) {
        CurlGlobal.initialize()
        self.configuration = configuration
        multi = curl_multi_init()
        scheduler = HostScheduler(perHost: configuration.perHost, delay: configuration.perHostDelay)
        // The caps are enforced by our own scheduler, per host *name*. libcurl's own per-host cap counts
        // per connect address, which would serialize every site behind one shared CDN or test address.
        // MAXCONNECTS is only the size of the connection cache, busy connections included: room beyond the
        // transfers in flight keeps a site's connection open while it waits for its next page (keep-alive).
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 4 * max(1, configuration.concurrency))
        let watchPointer = Unmanaged.passUnretained(watch).toOpaque()   // the fetcher keeps `watch` alive
        _ = ccurl_multi_setopt_socket_cb(multi, curlSocketChanged, watchPointer)
        _ = ccurl_multi_setopt_timer_cb(multi, curlTimerChanged, watchPointer)
        for entry in configuration.resolve {
            let host = entry.drop { $0 == "+" || $0 == "-" }.prefix { $0 != ":" }.lowercased()
            resolveLists[host] = curl_slist_append(resolveLists[host], entry)
        }
        for entry in configuration.connectTo { connectToList = curl_slist_append(connectToList, entry) }
        requestHeaders = curl_slist_append(requestHeaders,
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
    }

    deinit {
        for (handle, _) in active {
            curl_multi_remove_handle(multi, handle)
            curl_easy_cleanup(handle)
        }
        for handle in spareHandles { curl_easy_cleanup(handle) }
        curl_multi_cleanup(multi)
        for list in resolveLists.values { curl_slist_free_all(list) }
        curl_slist_free_all(connectToList)
        curl_slist_free_all(requestHeaders)
    }

    /// Queues a request; `completion` runs inside ``run()`` once it has a final answer or failure.
    public func enqueue(_ request: FetchRequest, completion: @escaping (FetchResult) -> Void) {
        switch WebAddress.validate(request.url) {
        case .failure(let error):
            immediate.append((FetchResult(requestedURL: request.url, url: request.url, failure: .refused(error.refusal)),
                              completion))
        case .success(let url):
            let job = FetchJob(request: request, currentURL: url, completion: completion)
            scheduler.add(job, host: WebAddress.hostKey(url), now: MonotonicClock.now())
        }
    }

    /// Asked for more work inside ``run()`` whenever a transfer slot is free and no queued request may
    /// start now; it queues requests (or answers some at once) and returns `false` when it has nothing left.
    ///
    /// A crawler that hands over its sites through this hook, instead of queueing them all up front,
    /// finishes the sites it started while their connections are still open, and keeps only about
    /// `concurrency` sites in progress.
    public var moreWork: (() -> Bool)?

    /// Runs every queued request (and those completions and ``moreWork`` queue) to the end.
    public func run() {
        while true {
            deliverImmediate()
            startTransfers()
            while active.count < configuration.concurrency, immediate.isEmpty, let moreWork, moreWork() {
                deliverImmediate()
                startTransfers()
            }
            if active.isEmpty && scheduler.pendingCount == 0 && immediate.isEmpty { return }
            var running: Int32 = 0
            // libcurl's timer: due at once after a handle is added (this call starts it), else its timeouts.
            if watch.takeDueTimer(now: MonotonicClock.now()) {
                curl_multi_socket_action(multi, ccurl_socket_timeout(), 0, &running)
                if collectFinished() > 0 || !immediate.isEmpty { continue }
            }
            let now = MonotonicClock.now()
            var timeout = 250.0
            if scheduler.hasReady && active.count < configuration.concurrency { timeout = 0 }
            if let wake = scheduler.nextWakeup() { timeout = min(timeout, max(0, (wake - now) * 1000)) }
            for (socket, mask) in watch.wait(timeout: timeout) {
                curl_multi_socket_action(multi, socket, mask, &running)
            }
            _ = collectFinished()
        }
    }

    private func deliverImmediate() {
        while !immediate.isEmpty {
            let batch = immediate
            immediate.removeAll()
            for (result, completion) in batch { completion(result) }
        }
    }

    private func startTransfers() {
        let now = MonotonicClock.now()
        while active.count < configuration.concurrency, let (host, job) = scheduler.next(now: now) {
            start(job, host: host)
        }
    }

    private func start(_ job: FetchJob, host: String) {
        let handle = spareHandles.popLast() ?? curl_easy_init()!
        let transfer = CurlTransfer(handle: handle, host: host, url: job.currentURL, job: job,
                                    maxBodyBytes: job.request.maxBodyBytes ?? configuration.maxBodyBytes,
                                    allowPrivate: configuration.allowPrivateAddresses,
                                    allowedAddresses: configuration.allowedAddresses)
        configure(handle, for: transfer)
        active[handle] = transfer
        statistics.started += 1
        statistics.peakConcurrent = max(statistics.peakConcurrent, active.count)
        statistics.peakPerHost = max(statistics.peakPerHost, scheduler.inFlight(host))
        curl_multi_add_handle(multi, handle)
    }

    private func configure(_ h: UnsafeMutableRawPointer, for transfer: CurlTransfer) {
        let c = configuration
        let me = Unmanaged.passUnretained(transfer).toOpaque()
        _ = ccurl_easy_setopt_string(h, CURLOPT_URL, transfer.url.absoluteString)
        // Only http and https, on the first request and on anything libcurl might follow.
        _ = ccurl_easy_setopt_string(h, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ccurl_easy_setopt_string(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = ccurl_easy_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0)   // redirects are followed by hand, hop by hop
        _ = ccurl_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(c.connectTimeout * 1000))
        _ = ccurl_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, Int(c.totalTimeout * 1000))
        _ = ccurl_easy_setopt_string(h, CURLOPT_ACCEPT_ENCODING, "")   // every encoding libcurl decodes: gzip, br, zstd, deflate
        _ = ccurl_easy_setopt_string(h, CURLOPT_USERAGENT, c.userAgent)
        _ = ccurl_easy_setopt_slist(h, CURLOPT_HTTPHEADER, requestHeaders)
        // An environment proxy would make the SSRF guard see the proxy's address, not the site's.
        _ = ccurl_easy_setopt_string(h, CURLOPT_PROXY, "")
        _ = ccurl_easy_setopt_long(h, CURLOPT_NETRC, Int(CURL_NETRC_IGNORED.rawValue))
        _ = ccurl_easy_setopt_off_t(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(transfer.maxBodyBytes))
        _ = ccurl_easy_setopt_write_cb(h, CURLOPT_WRITEFUNCTION, curlWriteBody)
        _ = ccurl_easy_setopt_pointer(h, CURLOPT_WRITEDATA, me)
        _ = ccurl_easy_setopt_write_cb(h, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        _ = ccurl_easy_setopt_pointer(h, CURLOPT_HEADERDATA, me)
        _ = ccurl_easy_setopt_opensocket_cb(h, CURLOPT_OPENSOCKETFUNCTION, curlOpenSocket)
        _ = ccurl_easy_setopt_pointer(h, CURLOPT_OPENSOCKETDATA, me)
        if let resolveList = resolveLists[transfer.host] { _ = ccurl_easy_setopt_slist(h, CURLOPT_RESOLVE, resolveList) }
        if let connectToList { _ = ccurl_easy_setopt_slist(h, CURLOPT_CONNECT_TO, connectToList) }
    }

    private func collectFinished() -> Int {
        var finished = 0
        var left: Int32 = 0
        while let message = ccurl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = ccurl_msg_result(message)
            curl_multi_remove_handle(multi, handle)
            guard let transfer = active.removeValue(forKey: handle) else { continue }
            finished += 1
            var status = 0
            _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            var connects = 0
            _ = ccurl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
            if connects == 0, transfer.connectedAddress == nil, transfer.blocked == nil {
                // A reused connection opened no socket; its address was admitted when it was opened.
                var ip: UnsafeMutablePointer<CChar>?
                if ccurl_easy_getinfo_string(handle, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK, let ip, ip.pointee != 0 {
                    transfer.reusedAddress = String(cString: ip)
                }
            }
            statistics.record(timesOf: handle, connects: connects, succeeded: code == CURLE_OK)
            curl_easy_reset(handle)
            spareHandles.append(handle)
            let now = MonotonicClock.now()
            statistics.transferSeconds += now - transfer.startedAt
            scheduler.finished(host: transfer.host, now: now)
            finish(transfer, code: code, status: status, now: now)
            // The completion may have queued this slot's next request (a site's next page): send it before
            // the next completion's work, instead of after every completion of this wake-up has run.
            startTransfers()
            sendStarted()
        }
        return finished
    }

    /// Lets libcurl act on handles just added (its timer is due at once): a request on a kept-alive
    /// connection leaves now; a new connection starts connecting.
    private func sendStarted() {
        guard watch.takeDueTimer(now: MonotonicClock.now()) else { return }
        var running: Int32 = 0
        curl_multi_socket_action(multi, ccurl_socket_timeout(), 0, &running)
    }

    private func finish(_ transfer: CurlTransfer, code: CURLcode, status: Int, now: Double) {
        var job = transfer.job
        var result = FetchResult(requestedURL: job.request.url, url: job.currentURL.absoluteString, status: status,
                                 headers: transfer.headers, body: transfer.body, redirects: job.redirects,
                                 attempts: job.attempt, retryDelays: job.retryDelays,
                                 remoteAddress: transfer.connectedAddress?.description ?? transfer.reusedAddress)
        if let failure = failure(code: code, transfer: transfer) {
            result.status = failure == .tooLarge ? status : 0
            result.body = []
            result.failure = failure
            statistics.failed += 1
            job.completion(result)
            return
        }
        // Retry 429 and 5xx with back-off; Retry-After (RFC 9110 §10.2.3) wins when it asks for longer.
        if status == 429 || (500...599).contains(status), job.attempt <= configuration.retries {
            let backoff = configuration.retryBaseDelay * pow(2, Double(job.attempt - 1))
            let asked = RetryAfter.delay(result.header("Retry-After"))
            let delay = max(backoff, asked ?? 0)
            if delay <= configuration.maxRetryAfter {
                job.attempt += 1
                job.retryDelays.append(delay)
                statistics.retries += 1
                scheduler.add(job, host: transfer.host, notBefore: now + delay, now: now)
                return
            }
        }
        let maxRedirects = job.request.maxRedirects ?? configuration.maxRedirects
        if (300...399).contains(status), status != 304, maxRedirects > 0, let location = result.header("Location") {
            guard let next = WebAddress.resolve(location, against: job.currentURL) else {
                result.failure = .refused(.invalidURL)
                job.completion(result)
                return
            }
            let hop = Redirect(from: job.currentURL.absoluteString, to: next.absoluteString, status: status)
            let visited = Set(job.redirects.map(\.from) + [job.currentURL.absoluteString])
            if job.redirects.count >= maxRedirects || visited.contains(next.absoluteString) {
                result.redirects.append(hop)
                result.failure = .tooManyRedirects
                result.body = []
                job.completion(result)
                return
            }
            switch WebAddress.validate(next.absoluteString) {
            case .failure(let error):
                result.redirects.append(hop)
                result.failure = .refused(error.refusal)
                job.completion(result)
            case .success(let url):
                job.redirects.append(hop)
                job.currentURL = url
                job.attempt = 1
                job.retryDelays = []
                statistics.redirects += 1
                scheduler.add(job, host: WebAddress.hostKey(url), now: now)
            }
            return
        }
        job.completion(result)
    }

    private func failure(code: CURLcode, transfer: CurlTransfer) -> FetchFailure? {
        if transfer.bodyTooLarge || code == CURLE_FILESIZE_EXCEEDED { return .tooLarge }
        // libcurl answers one header line over its 100 KiB line buffer with "out of memory" before our callback sees it.
        if transfer.headerTooLarge || code == CURLE_OUT_OF_MEMORY { return .headerTooLarge }
        switch code {
        case CURLE_OK: return nil
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_COULDNT_RESOLVE_HOST: return .dnsFailure
        default:
            if let (address, kind) = transfer.blocked { return .blockedAddress(address, kind) }
            return .connectionFailed(String(cString: curl_easy_strerror(code)))
        }
    }
}

/// Counts kept by a ``Fetcher``.
public struct FetchStatistics: Sendable {
    /// Transfers started (each attempt and each redirect hop counts).
    public var started = 0
    /// Retries scheduled after 429/5xx.
    public var retries = 0
    /// Redirect hops followed.
    public var redirects = 0
    /// Fetches that ended in a failure.
    public var failed = 0
    /// Most transfers in flight at once.
    package var peakConcurrent = 0
    /// Most transfers in flight at once to a single host.
    package var peakPerHost = 0
    /// Sum of the transfers' durations (start to done), in seconds: divided by the run's wall time
    /// it gives the mean number of transfers in flight, divided by ``started`` the mean transfer time.
    package var transferSeconds = 0.0
    /// Sum over transfers of libcurl's time until the connection was up (about 0 on a reused connection), in seconds.
    package var connectSeconds = 0.0
    /// Sum over transfers of libcurl's time until the first response byte, in seconds.
    package var firstByteSeconds = 0.0
    /// Sum over transfers of libcurl's own transfer time, in seconds: its gap to ``transferSeconds`` is
    /// time a transfer spent in the fetcher's loop rather than in libcurl.
    package var curlTotalSeconds = 0.0
    /// Transfers that got an answer over an open connection instead of connecting.
    package var reusedConnections = 0

    /// Adds a finished transfer's libcurl timings (read before the handle is reset); `connects` is
    /// its CURLINFO_NUM_CONNECTS, 0 on a reused connection.
    mutating func record(timesOf handle: UnsafeMutableRawPointer, connects: Int, succeeded: Bool) {
        var connect: curl_off_t = 0, firstByte: curl_off_t = 0, total: curl_off_t = 0
        _ = ccurl_easy_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connect)
        _ = ccurl_easy_getinfo_off_t(handle, CURLINFO_STARTTRANSFER_TIME_T, &firstByte)
        _ = ccurl_easy_getinfo_off_t(handle, CURLINFO_TOTAL_TIME_T, &total)
        connectSeconds += Double(connect) / 1e6
        firstByteSeconds += Double(firstByte) / 1e6
        curlTotalSeconds += Double(total) / 1e6
        if succeeded && connects == 0 { reusedConnections += 1 }
    }
}

/// libcurl's process-wide initialization, done once before the first handle.
enum CurlGlobal {
    private static let done: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    static func initialize() { _ = done }
}
