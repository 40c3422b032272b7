"""Anti-bot walls: telling a JavaScript challenge page from the page that was asked for, and (behind --browser)
passing it in a real browser.

The PBOC sites answer a first visit with the 网宿 "wzws" challenge: HTTP 200, a few hundred bytes of HTML whose
packed script computes a cookie (``wzwschallenge`` …), sets it and reloads (or goes to ``dynamicurl`` /
``/WZWSREL…``); a ``<noscript>`` says 请开启JavaScript并刷新该页. Read as a list it has no rows, and a crawler that
does not look would report an empty list. ``challenge_reason`` names what gave it away, so the crawl can say so by
URL instead.

Passing it: ``BrowserSession`` opens the URL in Debian's Chromium (through Playwright, no browser download), lets the
page's script run until the answer is no longer a challenge, and hands the cookies it earned back to Scrapy, which
fetches the page again with them. Chromium runs once per crawl and only for challenged answers.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

logger = logging.getLogger(__name__)

# What any cookie-and-reload wall does, whichever vendor wrote it: a short page whose script sets a cookie and
# reloads or redirects.
_SETS_COOKIE = re.compile(rb"document\.cookie\s*=", re.I)
_RELOADS = re.compile(rb"location(?:\.href)?\s*=|location\.(?:reload|replace|assign)\s*\(", re.I)
_VISIBLE_TEXT = re.compile(rb"<(script|style|noscript)\b.*?</\1\s*>|<[^>]+>", re.I | re.S)


def challenge_reason(body: bytes, content_type: str | None, markers: tuple[str, ...]) -> str | None:
    """Why this answer is an anti-bot challenge and not the page, or None when it is not one."""
    head = body[:65536]
    if content_type and "html" not in content_type.lower() and not head.lstrip()[:1] == b"<":
        return None
    found = [marker for marker in markers if marker.encode("utf-8") in head]
    if found:
        return f"a JavaScript anti-bot challenge page ({', '.join(found[:3])}), not the page"
    if _SETS_COOKIE.search(head) and _RELOADS.search(head):
        text = re.sub(rb"\s+", b"", _VISIBLE_TEXT.sub(b"", head))
        if len(text) < 200:
            return "a page that only sets a cookie in JavaScript and reloads (an anti-bot challenge), not the page"
    return None


HINT_CHALLENGE = (
    "the site asks for JavaScript before it serves pages: re-run with --browser to pass the challenge in Chromium "
    "(Debian: apt-get install chromium; Python: pip install 'regkb[browser]'), or fetch later; nothing was read "
    "from this answer"
)

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Chromium on a closed network: no background services calling home, a fresh profile each time.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class BrowserUnavailable(RuntimeError):
    pass


def chromium_path() -> str:
    for candidate in CHROMIUM_PATHS:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    raise BrowserUnavailable("--browser needs Chromium: apt-get install chromium (no browser is downloaded)")


class BrowserSession:
    """One headless Chromium for a crawl, opened on the first challenge and closed when the crawl ends."""

    def __init__(self, user_agent: str, markers: tuple[str, ...], timeout_s: float = 30.0):
        self.user_agent = user_agent
        self.markers = markers
        self.timeout_s = timeout_s
        self._playwright = None
        self._browser = None
        self._context = None

    async def _open(self):
        if self._context is not None:
            return self._context
        try:
            from playwright.async_api import async_playwright
        except ImportError:
            raise BrowserUnavailable("--browser needs Playwright: pip install 'regkb[browser]'") from None
        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        self._context = await self._browser.new_context(user_agent=self.user_agent)
        return self._context

    async def pass_challenge(self, url: str) -> list[dict]:
        """Open ``url``, wait until the page is no longer a challenge, and return the browser's cookies."""
        import asyncio
        import time

        context = await self._open()
        page = await context.new_page()
        try:
            await page.goto(url, wait_until="domcontentloaded", timeout=self.timeout_s * 1000)
            deadline = time.monotonic() + self.timeout_s
            while True:
                try:
                    html = (await page.content()).encode("utf-8")
                except Exception:   # the page is navigating (the challenge's reload): look again
                    html = b"<script>document.cookie=1;location.reload()</script>"
                if challenge_reason(html, "text/html", self.markers) is None:
                    break
                if time.monotonic() > deadline:
                    raise BrowserUnavailable(f"{url}: still a challenge after {self.timeout_s:.0f} s in Chromium")
                await asyncio.sleep(0.25)
            cookies = await context.cookies([page.url])   # this host's, not every host's the context has seen
        finally:
            await page.close()
        logger.info("passed the challenge of %s in Chromium (%d cookies)", url, len(cookies))
        return cookies

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
        self._browser = self._context = self._playwright = None
