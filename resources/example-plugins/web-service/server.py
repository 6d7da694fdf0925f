"""Example plugin: a tiny HTTP service. Its port comes from [settings] port
(PLUGIN_PORT); Plugin Monitor checks /health and shows the answer time."""

import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"ok\n" if self.path == "/health" else b"Example web service\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        print(format % args, flush=True)


port = int(os.environ.get("PLUGIN_PORT", "8780"))
print(
    f"serving on 127.0.0.1:{port} with {os.environ.get('PLUGIN_MAX_WORKERS')} workers", flush=True
)
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
