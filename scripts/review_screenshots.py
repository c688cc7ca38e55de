"""Screenshots of the review pages on the demo library, as a reviewer sees them, and of
what a patient gets: the patient page and the first page of its handouts.

    make screenshots          # docs/screenshots/*.png (1280 px)
    .venv/bin/python scripts/review_screenshots.py --out /tmp/shots --width 768

Builds a throwaway SQLite database with the demo content (`load_demo_content`), serves it
with gunicorn on a free loopback port, signs in as dr.chen, marisol and sam with Debian's
Chromium (/usr/bin/chromium, through Playwright) and saves full-page PNGs of the reviewer's
queue, the revision in review (its rendered compare) and its history, the editor's start
page and writing page, and the publisher's page; then the patient page of the A1C article
(at --width and at 375 px, a phone) and the first page of its handout, its large-print
handout and the Spanish translation's side-by-side handout, drawn from the PDFs with
poppler's `pdftoppm` (Debian's poppler-utils). Nothing outside the temporary directory
and --out is touched.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "screenshot-only-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--suffix", default="", help="added to the file names, e.g. -768")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        raise SystemExit("The handout screenshots need pdftoppm: apt-get install poppler-utils.")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "SECRET_KEY": "screenshots-only",
            "WEBHOOK_ENCRYPTION_KEYS": "c2NyZWVuc2hvdHMtb25seS1ub3QtYS1zZWNyZXQtLS0=",
            "AUDIT_SIGNING_KEY": "c2NyZWVuc2hvdHMtb25seS1ub3QtYS1zZWNyZXQtLS0=",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        }
        python = sys.executable

        def manage(*command: str, stdin: str | None = None) -> None:
            subprocess.run(
                [python, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                input=stdin,
                text=True,
                stdout=subprocess.DEVNULL,
            )

        manage("migrate", "--no-input", "-v0")
        manage("load_demo_content")
        for username in ("dr.chen", "marisol", "sam"):
            manage("create_staff_user", username, "--password", stdin=PASSWORD + "\n")
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "1", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            shoot(base, out, args.width, args.suffix)
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str, out: Path, width: int, suffix: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)

        def signed_in(username: str) -> Any:
            page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
            page.goto(f"{base}/review/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            return page

        page = signed_in("dr.chen")
        page.screenshot(path=out / f"review-queue{suffix}.png", full_page=True)
        # The revision in review with a note thread (the heart-attack article's revision 2),
        # its changes marked in the rendered article: the rendered compare.
        page.locator(".cards").first.get_by_role("link").first.click()
        page.wait_for_load_state()
        page.screenshot(path=out / f"review-revision{suffix}.png", full_page=True)
        page.get_by_role("link", name="Article history").click()
        page.wait_for_load_state()
        page.screenshot(path=out / f"review-history{suffix}.png", full_page=True)
        # The editor's start page (a revision sent back to marisol), and the writing page of
        # the revision she starts in answer, with its preview (in the throwaway database).
        editor = signed_in("marisol")
        editor.screenshot(path=out / f"writing{suffix}.png", full_page=True)
        editor.locator("#sent-back").get_by_role("button").first.click()
        editor.wait_for_load_state()
        editor.screenshot(path=out / f"writing-revision{suffix}.png", full_page=True)
        # The publisher's page.
        publisher = signed_in("sam")
        publisher.screenshot(path=out / f"publishing{suffix}.png", full_page=True)
        # What a patient gets: the page, on a desktop and on a phone, and the handouts.
        for name, page_width in ((f"patient-page{suffix}", width), ("patient-page-phone", 375)):
            reader = browser.new_context(viewport={"width": page_width, "height": 900}).new_page()
            reader.goto(f"{base}/en/understanding-your-a1c/")
            reader.screenshot(path=out / f"{name}.png", full_page=True)
        for name, path in (
            ("handout", "/en/understanding-your-a1c.pdf"),
            ("handout-large", "/en/understanding-your-a1c.pdf?size=large"),
            ("handout-bilingual", "/es/entender-su-a1c.pdf?also=en"),
        ):
            first_page_png(publisher.request.get(base + path).body(), out / f"{name}.png")
        browser.close()
    print(f"Saved the screenshots in {out}")


def first_page_png(pdf: bytes, png: Path) -> None:
    """The PDF's first page as a PNG, 100 dots per inch (a letter page is 850 px wide)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "handout.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "100",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                source,
                png.with_suffix(""),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
