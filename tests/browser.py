"""Headless Chromium for the browser tests, driven through its command line (``--dump-dom``,
``--screenshot``), behind a local proxy that records every request the page tries to make."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--disable-default-apps", "--virtual-time-budget=3000", "--no-pings", "--disable-domain-reliability",
         "--disable-client-side-phishing-detection", "--metrics-recording-only",
         "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,AutofillServerCommunication"]

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (`.ci/run` installs the Debian package `chromium`)")


# Chromium's own update and account checks, which the flags do not all stop (they reach the
# proxy even for a blank page); every other request would come from the page.
BROWSER_HOSTS = re.compile(r"^(GET|POST|HEAD|CONNECT) (https?://)?[a-z0-9.]*\.(google\.com|googleapis\.com)[:/]")


class Proxy:
    """An HTTP proxy on 127.0.0.1 that answers 403 and remembers every request it was asked for."""

    def __init__(self):
        self.requests: list[str] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _refuse(self):
                seen.append(f"{self.command} {self.path}")
                self.send_error(403)

            do_GET = do_POST = do_HEAD = do_CONNECT = _refuse

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def page_requests(self) -> list[str]:
        """The requests made for the page, not for the browser itself."""
        return [r for r in self.requests if not BROWSER_HOSTS.match(r)]

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def chromium(url: str, *args: str, proxy: Proxy | None = None) -> str:
    """Run Chromium once on ``url`` with a fresh profile; its stdout (the DOM for ``--dump-dom``)."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        extra = [f"--proxy-server={proxy.address}"] if proxy else []
        done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, *args, url],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(path: Path, fragment: str = "", proxy: Proxy | None = None) -> str:
    """The DOM after the page's scripts ran."""
    return chromium(path.resolve().as_uri() + fragment, "--dump-dom", proxy=proxy)


def screenshot(path: Path, to: Path, size: str = "1280,1600", fragment: str = "") -> Path:
    """A PNG of the page at ``to``."""
    chromium(path.resolve().as_uri() + fragment, f"--screenshot={to}", f"--window-size={size}")
    return to
