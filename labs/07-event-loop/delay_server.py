#!/usr/bin/python3
"""delay_server.py - a stand-in for the project's bin/flagserver in DELAY mode.

check.sh uses $(PROJECT)/bin/flagserver when it has been built (`make` at
the project's root) and falls back to this file otherwise, so the lab also
works on its own. Same command line as the real server (the options the lab
uses): --mode delay --delay S --port P --port-file F. It listens on
127.0.0.1 only, answers GET /flags/<cc>/<cc>.gif for any two-letter code
with a small made-up GIF after waiting S seconds, one thread per connection,
and exits cleanly on SIGTERM or SIGINT.
"""
import argparse
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FLAG_PATH = re.compile(r"^/flags/([a-z]{2})/\1\.gif$")


def made_up_gif(code):
    """A valid-looking GIF header and a body that depends on the code."""
    seed = (ord(code[0]) * 31 + ord(code[1])) % 97
    return b"GIF89a" + bytes((seed + index) % 256 for index in range(150 + seed))


class FlagHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay_seconds = 0.5

    def do_GET(self):
        match = FLAG_PATH.match(self.path)
        if not match:
            self.send_error(404)
            return
        time.sleep(self.delay_seconds)
        body = made_up_gif(match.group(1))
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, format, *args):
        pass


class FlagServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128     # 20 connects at once must not overflow the backlog


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["delay", "local"], default="delay")
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    options = parser.parse_args()
    FlagHandler.delay_seconds = options.delay if options.mode == "delay" else 0.0
    server = FlagServer(("127.0.0.1", options.port), FlagHandler)
    port = server.server_address[1]

    def stop(signal_number, frame):
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if options.port_file:
        with open(options.port_file + ".part", "w") as port_file:
            port_file.write(f"{port}\n")
        os.replace(options.port_file + ".part", options.port_file)
    print(f"delay_server: listening on http://127.0.0.1:{port}/flags", flush=True)
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
