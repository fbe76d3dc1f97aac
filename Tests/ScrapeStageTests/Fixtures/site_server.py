#!/usr/bin/env python3
"""Fixture web server for LeadHygiene's scrape tests and bench (loopback only).

Serves many "sites" from one 127.0.0.1 port, chosen by the Host header: static files from
sites/<host>/, plus the dynamic behaviours below. The tests' handler speaks HTTP/1.0 on purpose:
it writes headers and body separately, which over HTTP/1.1 adds ~45 ms per request through
Nagle/delayed ACK. Counts concurrent requests per host so tests and
the bench can check the crawler's per-host cap (GET /__stats on any host).

  --port N          port on 127.0.0.1
  --latency-ms N    sleep before every response (bench)
sites/brotli.test/index.html.br was made once with libbrotlienc (BrotliEncoderCompress, quality 11)
through ctypes, because Python's standard library has no brotli encoder.

  --generic         bench mode: every host is a small generated company site, served by one
                    select() loop over HTTP/1.1 keep-alive (GenericSite below)
"""
import argparse, gzip, heapq, json, os, select, signal, socket, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sites")
LOCK = threading.Lock()
ACTIVE = {}        # host -> requests in progress
PEAK = {}          # host -> most requests in progress at once
COUNTS = {}        # (host, path) -> requests seen
LOG = []           # [host, path, user-agent]
ARGS = None

GENERIC_HOME = """<!doctype html><html><head><title>{host}</title>
<meta name="description" content="Generated company {host}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Organization","name":"{host}","telephone":"+1 555 0100"}}</script>
</head><body><h1>{host}</h1><a href="/about">About us</a> <a href="/contact">Contact</a>
<p>Write to hello@{host}</p></body></html>"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def host(self):
        return (self.headers.get("Host") or "").split(":")[0].lower()

    def version_string(self):
        return getattr(self, "server_header", "fixture-site-server")

    def send(self, status, body=b"", headers=None, content_type="text/html; charset=utf-8"):
        headers = dict(headers or {})
        self.server_header = headers.pop("Server", "fixture-site-server")
        # The request stops counting as in progress before the client can see the answer; otherwise
        # the client's next request could arrive while this thread is still tearing down.
        self.release()
        self.send_response(status)
        if content_type and "Content-Type" not in headers:
            headers["Content-Type"] = content_type
        for k, v in headers.items():
            if isinstance(v, list):
                for item in v:
                    self.send_header(k, item)
            else:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def do_GET(self):
        host, path = self.host(), self.path
        with LOCK:
            ACTIVE[host] = ACTIVE.get(host, 0) + 1
            PEAK[host] = max(PEAK.get(host, 0), ACTIVE[host])
            COUNTS[(host, path)] = COUNTS.get((host, path), 0) + 1
            seen = COUNTS[(host, path)]
            if path != "/__stats":
                LOG.append([host, path, self.headers.get("User-Agent", "")])
        self.counted_host = host
        try:
            if ARGS.latency_ms:
                time.sleep(ARGS.latency_ms / 1000.0)
            self.route(host, path, seen)
        finally:
            self.release()

    def release(self):
        host = getattr(self, "counted_host", None)
        if host is not None:
            self.counted_host = None
            with LOCK:
                ACTIVE[host] -= 1

    do_HEAD = do_GET

    def route(self, host, path, seen):
        if path == "/__stats":
            with LOCK:
                stats = {"peak_per_host": max(PEAK.values() or [0]), "peak": PEAK,
                         "requests": LOG, "total": len(LOG)}
            return self.send(200, json.dumps(stats).encode(), content_type="application/json")
        # Dynamic behaviours, by host.
        if host == "slow.test" and path == "/":
            time.sleep(8)
            return self.send(200, b"<html><body>late</body></html>")
        if host == "busy.test" and path == "/":
            if seen == 1:
                return self.send(503, b"busy", {"Retry-After": "1"})
            return self.send(200, b"<html><head><title>Busy Corp</title></head><body>back</body></html>")
        if host == "down.test" and path == "/":
            return self.send(503, b"down", {"Retry-After": "1"})
        if host == "ratelimited.test" and path == "/":
            return self.send(429, b"slow down", {"Retry-After": "3600"})
        if host == "big.test" and path == "/":
            return self.send(200, b"<html><body>" + b"x" * (10 * 1024 * 1024) + b"</body></html>")
        if host == "loop.test" and path in ("/", "/a"):
            return self.send(302, b"", {"Location": "/a" if path == "/" else "/"})
        if host == "robots-error.test" and path == "/robots.txt":
            return self.send(500, b"oops")
        if host == "gzip.test" and path == "/":
            page = b"<html><head><title>Gzip Ltd</title></head><body><p>compressed " + b"z" * 5000 + b"</p></body></html>"
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                return self.send(200, gzip.compress(page), {"Content-Encoding": "gzip"})
            return self.send(200, page)
        if host == "portmove.test" and path == "/":
            # An absolute redirect to another site on the port this request came in on.
            port = (self.headers.get("Host") or "").partition(":")[2]
            return self.send(301, b"", {"Location": "http://portco.test:%s/" % port})
        if host == "bigheader.test" and path == "/":
            return self.send(200, b"<html><title>Big</title></html>", {"X-Padding": "a" * (1024 * 1024)})
        if host == "manyheaders.test" and path == "/":
            return self.send(200, b"<html><title>Many</title></html>", {"X-Padding-%d" % i: "b" * 1000 for i in range(400)})
        if host == "blank.test":
            return self.send(200, b"")
        # Static fixture sites.
        site = os.path.join(ROOT, host)
        if os.path.isdir(site):
            return self.static(site, path)
        if ARGS.generic:
            return self.generic(host, path)
        return self.send(404, b"no such site")

    def static(self, site, path):
        rules = {}
        rules_file = os.path.join(site, "_routes.json")
        if os.path.exists(rules_file):
            with open(rules_file) as f:
                rules = json.load(f)
        rule = rules.get(path.split("?")[0], {})
        if "redirect" in rule:
            return self.send(rule.get("status", 301), b"", {"Location": rule["redirect"]})
        if "status" in rule and "file" not in rule:
            return self.send(rule["status"], b"error")
        name = rule.get("file") or ("index.html" if path.split("?")[0] == "/" else path.split("?")[0].lstrip("/"))
        file = os.path.normpath(os.path.join(site, name))
        if not file.startswith(site) or not os.path.isfile(file):
            return self.send(404, b"not found")
        with open(file, "rb") as f:
            body = f.read()
        ctype = rule.get("content_type") or ("text/plain" if file.endswith(".txt") else "text/html; charset=utf-8")
        return self.send(rule.get("status", 200), body, rule.get("headers"), content_type=ctype)

    def generic(self, host, path):
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private\n", content_type="text/plain")
        if path == "/":
            return self.send(200, GENERIC_HOME.format(host=host).encode())
        return self.send(200, ("<html><head><title>%s %s</title></head><body><p>Call +1 555 0101</p></body></html>"
                               % (host, path)).encode())


class GenericSite:
    """The bench's server (--generic): one thread, non-blocking sockets, select() and a heap of timers.

    asyncio's transports, tasks and millisecond-rounded epoll timeouts cost more per request than the
    client being measured, and with 32 requests arriving together every per-request cost becomes
    latency for the others. Here a request costs a handful of system calls; select() sleeps to the
    microsecond, so an answer leaves --latency-ms after its request was read, not up to 1 ms later.
    HTTP/1.1 keep-alive (one request at a time per connection), each answer in a single send with
    TCP_NODELAY, so a site's later pages can reuse its connection without Nagle delays.
    select() limits it to about 1,000 open connections, far above the bench's concurrency."""

    ROBOTS = b"User-agent: *\nDisallow: /private\n"
    PAGE = "<html><head><title>%s %s</title></head><body><p>Call +1 555 0101</p></body></html>"

    def __init__(self, port, latency_ms):
        self.latency = latency_ms / 1000.0
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(1024)
        self.listener.setblocking(False)
        self.reading = {}      # socket -> [buffer, accepted at (until its first request is read)]
        self.timers = []       # heap of (answer due, sequence, socket, host, path, close, read at)
        self.sequence = 0
        self.active = {}       # host -> requests in progress
        self.peak = 0          # most requests in progress at once to one host
        self.total = 0         # requests answered (not counting /__stats)
        self.connections = 0
        self.accept_to_read = 0.0       # summed over connections
        self.late = 0.0                 # summed over requests: answer sent beyond the latency

    def stats(self):
        import resource
        usage = resource.getrusage(resource.RUSAGE_SELF)
        n = max(1, self.total)
        return {"peak_per_host": self.peak, "total": self.total, "connections": self.connections,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "mean_ms": [1000 * self.accept_to_read / max(1, self.connections), 1000 * self.late / n,
                            1000 * (self.latency + self.late / n)]}

    def answer(self, host, path, close):
        body = (self.ROBOTS if path == "/robots.txt" else GENERIC_HOME.format(host=host).encode() if path == "/"
                else (self.PAGE % (host, path)).encode())
        ctype = b"text/plain" if path == "/robots.txt" else b"text/html; charset=utf-8"
        return (b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nContent-Length: " + str(len(body)).encode()
                + (b"\r\nConnection: close\r\n\r\n" if close else b"\r\n\r\n") + body)

    def serve_forever(self):
        while True:
            timeout = None
            if self.timers:
                timeout = max(0.0, self.timers[0][0] - time.monotonic())
            readable, _, _ = select.select([self.listener, *self.reading], [], [], timeout)
            for sock in readable:
                if sock is self.listener:
                    self.accept()
                else:
                    self.receive(sock)
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                self.reply(*heapq.heappop(self.timers)[2:], now)

    def accept(self):
        while True:
            try:
                sock, _ = self.listener.accept()
            except BlockingIOError:
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.reading[sock] = [b"", time.monotonic()]

    def receive(self, sock):
        try:
            data = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            del self.reading[sock]
            sock.close()
            return
        self.reading[sock][0] += data
        self.next_request(sock)

    def next_request(self, sock):
        state = self.reading[sock]
        end = state[0].find(b"\r\n\r\n")
        if end < 0:
            return
        head, state[0] = state[0][:end].decode("latin-1"), state[0][end + 4:]
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        path = parts[1] if len(parts) > 1 else "/"
        host, close = "", len(parts) < 3 or parts[2] != "HTTP/1.1"
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "host":
                host = value.strip().split(":")[0].lower()
            elif name == "connection":
                close = value.strip().lower() == "close"
        now = time.monotonic()
        if path == "/__stats":
            body = json.dumps(self.stats()).encode()
            self.send(sock, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body, close=True)
            return
        if state[1] is not None:
            self.connections += 1
            self.accept_to_read += now - state[1]
            state[1] = None
        count = self.active.get(host, 0) + 1
        self.active[host] = count
        self.peak = max(self.peak, count)
        # Not read again until answered: one request at a time per connection, as HTTP/1.1 without pipelining.
        self.reading.pop(sock)
        self.sequence += 1
        heapq.heappush(self.timers, (now + self.latency, self.sequence, sock, host, path, close, now, state))

    def reply(self, sock, host, path, close, read_at, state, now):
        self.late += now - read_at - self.latency
        # The request stops counting as in progress before the client can see the answer.
        self.active[host] -= 1
        self.total += 1
        if self.send(sock, self.answer(host, path, close), close):
            self.reading[sock] = state
            self.next_request(sock)

    def send(self, sock, response, close):
        """Sends a whole answer; returns whether the connection stays open."""
        try:
            sent = sock.send(response)
            if sent < len(response):
                sock.setblocking(True)
                sock.sendall(response[sent:])
                sock.setblocking(False)
        except OSError:
            close = True
        if close:
            self.reading.pop(sock, None)
            sock.close()
        return not close


class Server(ThreadingHTTPServer):
    request_queue_size = 1024   # the default backlog of 5 drops SYNs under load (1 s and 3 s retransmits)
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--generic", action="store_true")
    ARGS = parser.parse_args()
    # Swift's Process spawns us from a Dispatch thread whose signal mask blocks SIGTERM, and a child
    # inherits the mask: unblock it, or LocalServer.stop() would wait for ever.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, set(signal.Signals))
    if ARGS.generic:
        GenericSite(ARGS.port, ARGS.latency_ms).serve_forever()
    else:
        Server(("127.0.0.1", ARGS.port), Handler).serve_forever()
