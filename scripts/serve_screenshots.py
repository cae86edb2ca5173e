"""Screenshots of the service's API page and of a report from its report endpoint.

Starts ``samskaping serve`` on a free loopback port, opens the API page in headless
Chromium (Debian's ``chromium``), posts the ``innbyggerbasen`` example to
``/v1/documents/report?format=html`` and opens the answer too, saving two PNGs.

    python scripts/serve_screenshots.py [OUT_FOLDER]
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _live() -> ModuleType:
    """The start/stop helper shared with the Schemathesis run."""
    spec = importlib.util.spec_from_file_location(
        "serve_schemathesis", HERE / "serve_schemathesis.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError("scripts/serve_schemathesis.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shoot(browser: str, url: str, out: Path, profile: Path, height: int) -> None:
    """Open ``url`` in headless Chromium and save a PNG."""
    subprocess.run(  # noqa: S603  (fixed arguments)
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
            f"--window-size=1200,{height}", "--virtual-time-budget=5000",
            f"--screenshot={out}", url,
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def main() -> int:
    """Start the service, take both screenshots, stop."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    out.mkdir(parents=True, exist_ok=True)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("Chromium not found; install it with: apt-get install chromium", file=sys.stderr)
        return 2
    import samskaping
    from samskaping.io import dumps

    live = _live()
    work = Path(tempfile.mkdtemp(prefix="samskaping-shots-"))
    try:
        with live.running_service(work, {"kari": "worker"}) as (base, _log):
            shoot(browser, base + "/", out / "api-page.png", work / "profile", 1500)
            document = json.loads(dumps(samskaping.load_example("innbyggerbasen")))
            request = urllib.request.Request(  # noqa: S310  (loopback, http only)
                base + "/v1/documents/report?format=html&lang=en",
                data=json.dumps(document).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {live.token_of('kari')}",
                },
            )
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310  # noqa: S310
                (work / "report.html").write_bytes(answer.read())
            shoot(
                browser, (work / "report.html").as_uri(), out / "report.png", work / "profile", 2400
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {out / 'api-page.png'} and {out / 'report.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
