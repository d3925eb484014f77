"""A small HTTP server on 127.0.0.1 for fetch.sh: an image, errors, a big
body, redirects, a slow answer.  Prints its port, then serves until killed
or for at most 120 seconds."""
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PNG = open(sys.argv[1], "rb").read()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def send(self, code, body=b"", ctype="image/png", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        if not any(k == "Content-Length" for k, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, to):
        self.send(302, b"", "text/plain", [("Location", to)])

    def do_GET(self):
        p = self.path
        if p in ("/ok.png", "/other.png", "/redirect/0"):
            self.send(200, PNG)
        elif p == "/page.png":
            self.send(200, b"<html><body>not found</body></html>", "text/html")
        elif p == "/big-length.png":
            # Content-Length says too much: refused before the body.
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(100 << 20))
            self.end_headers()
            self.wfile.write(PNG)
        elif p == "/big-stream.png":
            # No length: the body runs past the cap.
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"\0" * 4096)
            except OSError:
                pass
        elif p == "/loop.png":
            self.redirect("/loop.png")
        elif p.startswith("/redirect/"):
            self.redirect("/redirect/%d" % (int(p.split("/")[2]) - 1))
        elif p == "/away.png":  # 192.0.2.1 is TEST-NET-1: never reached
            self.redirect("http://192.0.2.1/x.png")
        elif p == "/to-ftp.png":
            self.redirect("ftp://127.0.0.1/x.png")
        elif p == "/slow.png":
            time.sleep(20)
            self.send(200, PNG)
        else:
            self.send(404, b"no", "text/plain")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Timer(120, lambda: os._exit(0)).start()
print(server.server_address[1], flush=True)
server.serve_forever()
