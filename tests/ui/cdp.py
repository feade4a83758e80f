"""Just enough of the Chrome DevTools Protocol to open a page in headless Chromium and read it.

The browser test needs to wait for a console to *start* in the page (textual-serve marks the page
``-first-byte`` once the console's process has drawn its first frame), which ``chromium
--dump-dom`` cannot wait for. aiohttp (a dependency of textual-serve) speaks WebSocket.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import shutil
import subprocess
import tempfile
from typing import Any

import aiohttp

from tests.conftest import chromium_binary


async def page_body_class(url: str, wait_for: str, timeout: float = 30.0) -> str:
    """Open ``url`` in headless Chromium; poll ``document.body.className`` until it contains
    ``wait_for`` (or the timeout passes); return the last value seen."""
    binary = chromium_binary()
    assert binary is not None
    profile = tempfile.mkdtemp(prefix="cdp-")
    browser = subprocess.Popen(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ws_url = await asyncio.wait_for(_devtools_url(browser), timeout)
        async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, max_msg_size=0) as ws:
            ids = itertools.count(1)

            async def call(method: str, session: str | None = None, **params: Any) -> Any:
                ident = next(ids)
                message: dict[str, Any] = {"id": ident, "method": method, "params": params}
                if session:
                    message["sessionId"] = session
                await ws.send_str(json.dumps(message))
                while True:
                    reply = json.loads((await ws.receive()).data)
                    if reply.get("id") == ident:
                        return reply.get("result", {})

            target = (await call("Target.createTarget", url=url))["targetId"]
            session = (await call("Target.attachToTarget", targetId=target, flatten=True))[
                "sessionId"
            ]
            seen = ""
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while loop.time() < deadline:
                result = await call(
                    "Runtime.evaluate", session, expression="document.body.className"
                )
                seen = str(result.get("result", {}).get("value", ""))
                if wait_for in seen:
                    break
                await asyncio.sleep(0.2)
            return seen
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


async def _devtools_url(browser: subprocess.Popen[str]) -> str:
    assert browser.stderr is not None
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, browser.stderr.readline)
        if not line:
            raise RuntimeError("chromium exited before opening its DevTools port")
        found = re.search(r"DevTools listening on (ws://\S+)", line)
        if found:
            return found.group(1)
