import CCurl
import Foundation
import LeadFacts

/// The per-transfer state libcurl's callbacks write into (body, headers, SSRF verdict).
///
/// Passed to libcurl as an unretained pointer; the ``Fetcher`` keeps it alive while the handle runs.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    let host: String
    let url: URL
    let maxBodyBytes: Int
    let allowPrivate: Bool
    let allowedAddresses: Set<IPAddress>
    var job: FetchJob
    var body: [UInt8] = []
    var headers: [HTTPHeader] = []
    var bodyTooLarge = false
    /// Bytes of header lines received so far, across the responses of this transfer (100 Continue included).
    var headerBytes = 0
    var headerTooLarge = false
    /// Largest header block accepted: real sites send a few KiB; a megabyte of headers is a broken or hostile
    /// server, and libcurl would only refuse it at 300 KiB with an error that reads like a network failure.
    static let maxHeaderBytes = 64 * 1024
    var blocked: (IPAddress, BlockedAddressKind)?
    var connectedAddress: IPAddress?
    /// The peer of a reused connection (libcurl's CURLINFO_PRIMARY_IP), when no socket was opened.
    var reusedAddress: String?
    let startedAt = MonotonicClock.now()

    init(handle: UnsafeMutableRawPointer, host: String, url: URL, job: FetchJob, maxBodyBytes: Int, allowPrivate: Bool,
         allowedAddresses: Set<IPAddress>) {
        self.handle = handle
        self.host = host
        self.url = url
        self.job = job
        self.maxBodyBytes = maxBodyBytes
        self.allowPrivate = allowPrivate
        self.allowedAddresses = allowedAddresses
    }

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Parses one header line as libcurl hands it over (CRLF included), on bytes: Foundation's
    /// trimming cost more per transfer than the rest of the callback.
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerBytes += bytes.count
        guard headerBytes <= Self.maxHeaderBytes else {
            headerTooLarge = true
            return false
        }
        let line = Self.trimmed(bytes[...])
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll()   // a new response (after 100 Continue) starts a new header block
            return true
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return true }
        let name = Self.trimmed(line[..<colon])
        let value = Self.trimmed(line[(colon + 1)...])
        headers.append(HTTPHeader(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        return true
    }

    /// `bytes` without leading and trailing ASCII whitespace (RFC 9110 §5.6.3 OWS, and the line's CRLF).
    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0d).contains(byte) }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// Decides whether libcurl may connect to `address`; refusing returns CURL_SOCKET_BAD and curl tries the next address.
    func admit(_ address: IPAddress?) -> Bool {
        guard !allowPrivate else {
            connectedAddress = address
            return true
        }
        guard let address else { return false }   // not IPv4/IPv6: refuse (unix sockets and the like)
        if let kind = AddressPolicy.blockedKind(of: address), !allowedAddresses.contains(address) {
            blocked = (address, kind)
            return false
        }
        connectedAddress = address
        blocked = nil
        return true
    }
}

/// A queued fetch: the request, where it is now (after redirects), and its history.
struct FetchJob {
    var request: FetchRequest
    var currentURL: URL
    var redirects: [Redirect] = []
    var attempt = 1
    var retryDelays: [Double] = []
    var completion: (FetchResult) -> Void
}

// C callbacks: non-capturing closures, so they convert to C function pointers.
let curlWriteBody: ccurl_write_cb = { pointer, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    let n = size * count
    guard let pointer else { return n }
    return transfer.appendBody(UnsafeRawBufferPointer(start: pointer, count: n)) ? n : 0
}

let curlWriteHeader: ccurl_write_cb = { pointer, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    let n = size * count
    guard let pointer else { return n }
    return transfer.appendHeaderLine(UnsafeRawBufferPointer(start: pointer, count: n)) ? n : 0
}

let curlOpenSocket: ccurl_opensocket_cb = { clientp, _, address in
    guard let clientp, let address else { return CURL_SOCKET_BAD }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(clientp).takeUnretainedValue()
    let ip = ccurl_sockaddr_address(address).flatMap { IPAddress(socketAddress: $0) }
    guard transfer.admit(ip) else { return CURL_SOCKET_BAD }
    return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
}
