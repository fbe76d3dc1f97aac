#!/usr/bin/env python3
"""Fixture web server for LeadHygiene's scrape tests and bench (loopback only).

Serves many "sites" from one 127.0.0.1 port, chosen by the Host header: static files from
sites/<host>/, plus the dynamic behaviours below. HTTP/1.0 on purpose: Python's HTTP/1.1 adds
~45 ms per request through Nagle/delayed ACK. Counts concurrent requests per host so tests and
the bench can check the crawler's per-host cap (GET /__stats on any host).

  --port N          port on 127.0.0.1
  --latency-ms N    sleep before every response (bench)
sites/brotli.test/index.html.br was made once with libbrotlienc (BrotliEncoderCompress, quality 11)
through ctypes, because Python's standard library has no brotli encoder.

  --generic         bench mode: every host is a small generated company site, served by asyncio
"""
import argparse, gzip, json, os, signal, threading, time
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


async def serve_generic(port, latency_ms):
    """The bench's server: asyncio instead of a thread per connection and BaseHTTPRequestHandler's
    header parsing, which cost more CPU per request than the client's whole transfer."""
    import asyncio

    async def handle(reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except Exception:
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        path = parts[1] if len(parts) > 1 else "/"
        host, agent = "", ""
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "host":
                host = value.strip().split(":")[0].lower()
            elif name.lower() == "user-agent":
                agent = value.strip()
        if path == "/__stats":
            with LOCK:
                body = json.dumps({"peak_per_host": max(PEAK.values() or [0]), "total": len(LOG)}).encode()
            ctype = "application/json"
        else:
            with LOCK:
                ACTIVE[host] = ACTIVE.get(host, 0) + 1
                PEAK[host] = max(PEAK.get(host, 0), ACTIVE[host])
                LOG.append([host, path, agent])
            await asyncio.sleep(latency_ms / 1000.0)
            with LOCK:
                ACTIVE[host] -= 1
            ctype = "text/plain" if path == "/robots.txt" else "text/html; charset=utf-8"
            if path == "/robots.txt":
                body = b"User-agent: *\nDisallow: /private\n"
            elif path == "/":
                body = GENERIC_HOME.format(host=host).encode()
            else:
                body = ("<html><head><title>%s %s</title></head><body><p>Call +1 555 0101</p></body></html>"
                        % (host, path)).encode()
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: " + ctype.encode() + b"\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        try:
            await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


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
        import asyncio
        asyncio.run(serve_generic(ARGS.port, ARGS.latency_ms))
    else:
        Server(("127.0.0.1", ARGS.port), Handler).serve_forever()
