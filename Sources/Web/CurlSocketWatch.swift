import CCurl
import Foundation
import LeadFacts

/// The sockets and the timeout libcurl asks the ``Fetcher`` to watch (its socket interface).
///
/// `curl_multi_perform` visits every transfer on every wake-up; with `curl_multi_socket_action`
/// a wake-up costs only the transfers whose sockets are ready, or whose timer is due.
final class CurlSocketWatch {
    /// Socket → the poll events libcurl wants for it.
    private(set) var sockets: [curl_socket_t: Int16] = [:]
    /// When libcurl's next timeout is due (monotonic seconds), if it asked for one.
    private(set) var deadline: Double?
    private var fds: [pollfd] = []

    func update(socket: curl_socket_t, what: Int32) {
        switch what {
        case CURL_POLL_REMOVE: sockets[socket] = nil
        case CURL_POLL_IN: sockets[socket] = Int16(POLLIN)
        case CURL_POLL_OUT: sockets[socket] = Int16(POLLOUT)
        default: sockets[socket] = Int16(POLLIN | POLLOUT)
        }
    }

    func setTimer(milliseconds: Int) {
        deadline = milliseconds < 0 ? nil : MonotonicClock.now() + Double(milliseconds) / 1000
    }

    /// Whether libcurl's timeout is due at `now`; clears it, as libcurl sets a new one when it needs one.
    func takeDueTimer(now: Double) -> Bool {
        guard let deadline, deadline <= now else { return false }
        self.deadline = nil
        return true
    }

    /// Waits up to `timeout` milliseconds (capped by libcurl's own timeout) and returns the ready
    /// sockets with the CURL_CSELECT_* mask to report for each.
    func wait(timeout: Double) -> [(curl_socket_t, Int32)] {
        var limit = timeout
        if let deadline { limit = min(limit, max(0, (deadline - MonotonicClock.now()) * 1000)) }
        fds.removeAll(keepingCapacity: true)
        for (socket, events) in sockets { fds.append(pollfd(fd: socket, events: events, revents: 0)) }
        let count = poll(&fds, nfds_t(fds.count), Int32(limit.rounded(.up)))
        guard count > 0 else { return [] }
        var ready: [(curl_socket_t, Int32)] = []
        for fd in fds where fd.revents != 0 {
            var mask: Int32 = 0
            if fd.revents & Int16(POLLIN | POLLHUP) != 0 { mask |= CURL_CSELECT_IN }
            if fd.revents & Int16(POLLOUT) != 0 { mask |= CURL_CSELECT_OUT }
            if fd.revents & Int16(POLLERR | POLLNVAL) != 0 { mask |= CURL_CSELECT_ERR }
            ready.append((fd.fd, mask))
        }
        return ready
    }
}

// C callbacks: non-capturing closures, so they convert to C function pointers.
let curlSocketChanged: ccurl_socket_cb = { _, socket, what, userp, _ in
    Unmanaged<CurlSocketWatch>.fromOpaque(userp!).takeUnretainedValue().update(socket: socket, what: what)
    return 0
}

let curlTimerChanged: ccurl_timer_cb = { _, milliseconds, userp in
    Unmanaged<CurlSocketWatch>.fromOpaque(userp!).takeUnretainedValue().setTimer(milliseconds: milliseconds)
    return 0
}
