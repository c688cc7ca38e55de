#!/usr/bin/env python3
"""Keep a local mirror of a hospital's live patient-education articles: a portal's start.

It replays the changes feed from where it stopped last time and, for every article that
was published or updated, fetches the article, sending the ETag it already has so that an
unchanged article costs a 304 with no body. An unpublished article is removed at once.
Run it every minute (or when a webhook says something changed); what it keeps in the
folder is exactly what the service serves.

    python examples/portal_mirror.py --base-url http://localhost:8000 --api-key KEY ./mirror

Standard library only. The folder holds one JSON file per live article
(`<locale>/<slug>.json`) and `state.json` (the feed cursor and each article's ETag).
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SyncReport:
    events: int = 0
    fetched: int = 0
    not_modified: int = 0
    removed: int = 0
    resynchronised: bool = False  # the feed was behind our cursor (a restored database)
    errors: list[str] = field(default_factory=list)


class PortalMirror:
    """A folder that mirrors the live articles of one content API."""

    def __init__(self, base_url: str, api_key: str, folder: Path, *, timeout: float = 10) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.folder = Path(folder)
        self.timeout = timeout
        self.folder.mkdir(parents=True, exist_ok=True)
        self.state_file = self.folder / "state.json"
        state = json.loads(self.state_file.read_text()) if self.state_file.exists() else {}
        self.cursor: str | None = state.get("cursor")
        self.etags: dict[str, str] = state.get("etags", {})

    # -- HTTP -------------------------------------------------------------------------
    def _get(
        self, path: str, params: dict[str, str], etag: str | None = None
    ) -> tuple[int, Any, dict]:
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        headers = {"Authorization": f"Api-Key {self.api_key}", "Accept": "application/json"}
        if etag:
            headers["If-None-Match"] = etag
        request = urllib.request.Request(url, headers=headers)
        for attempt in range(5):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, json.loads(response.read()), dict(response.headers)
            except urllib.error.HTTPError as error:
                if error.code == 304:
                    return 304, None, dict(error.headers)
                if error.code in (429, 503) and attempt < 4:
                    # Told to wait: rate limited, or the service's database is away.
                    time.sleep(min(float(error.headers.get("Retry-After", "1")), 30))
                    continue
                body = error.read()
                problem = json.loads(body) if body.startswith(b"{") else {}
                return error.code, problem, dict(error.headers)
        raise RuntimeError(f"{url}: still refused after retrying")

    # -- the mirror -------------------------------------------------------------------
    def _file(self, locale: str, slug: str) -> Path:
        return self.folder / locale / f"{slug}.json"

    def _refresh(self, slug: str, locale: str, cursor: str, report: SyncReport) -> None:
        key = f"{locale}/{slug}"
        # min_cursor: never an answer older than the page of events that named it (a read
        # replica that has not replayed it yet would answer 404 or the old document).
        status, document, headers = self._get(
            f"/api/v1/articles/{slug}/",
            {"locale": locale, "min_cursor": cursor},
            etag=self.etags.get(key),
        )
        if status == 304:
            report.not_modified += 1
        elif status == 200:
            path = self._file(locale, slug)
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(document, ensure_ascii=False, indent=1))
            self.etags[key] = headers["ETag"]
            report.fetched += 1
        elif status == 404:  # unpublished after this event; a later event says so too
            self._remove(slug, locale, report)
        else:
            report.errors.append(f"{key}: {status} {document.get('detail', '')}")

    def _remove(self, slug: str, locale: str, report: SyncReport) -> None:
        self._file(locale, slug).unlink(missing_ok=True)
        if self.etags.pop(f"{locale}/{slug}", None) is not None:
            report.removed += 1

    def sync(self) -> SyncReport:
        """Apply every change since the last sync; stops at the end of the feed.

        If the feed answers `cursor-ahead` (the service's database was restored from a
        backup older than our cursor), follow it again from the start and then drop every
        article it did not leave live, as the service's docs say.
        """
        report = SyncReport()
        live: set[tuple[str, str]] | None = None  # while resynchronising: what the feed left live
        while True:
            params = {"limit": "100", **({"since": self.cursor} if self.cursor else {})}
            status, page, _ = self._get("/api/v1/changes/", params)
            if status == 400 and page.get("code") == "cursor-ahead" and live is None:
                self.cursor, live, report.resynchronised = None, set(), True
                continue
            if status != 200:
                report.errors.append(f"changes feed: {status} {page.get('detail', '')}")
                return report
            # Several events for one article in a page need only its latest state.
            latest: dict[tuple[str, str], str] = {}
            for event in page["results"]:
                report.events += 1
                latest[(event["slug"], event["locale"])] = event["event"]
            for (slug, locale), kind in latest.items():
                if kind == "unpublished":
                    self._remove(slug, locale, report)
                    if live is not None:
                        live.discard((slug, locale))
                else:
                    self._refresh(slug, locale, page["cursor"], report)
                    if live is not None:
                        live.add((slug, locale))
            self.cursor = page["cursor"]
            if not page["has_more"]:
                if live is not None:  # mirrored, but not live by the restored feed
                    for slug, locale in self.articles() - live:
                        self._remove(slug, locale, report)
                self._save()
                return report
            if live is None:  # resume from here next time, even if the next page fails
                self._save()

    def _save(self) -> None:
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps({"cursor": self.cursor, "etags": self.etags}))
        os.replace(temporary, self.state_file)

    def articles(self) -> set[tuple[str, str]]:
        """(slug, locale) of every article in the mirror."""
        return {tuple(key.split("/", 1)[::-1]) for key in self.etags}  # type: ignore[misc]


def main() -> int:
    parser = argparse.ArgumentParser(description="Mirror the live articles of a content API.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--base-url", default="http://localhost:8000")
    parser.add_argument("--api-key", default=os.environ.get("CONTENT_API_KEY", ""))
    args = parser.parse_args()
    if not args.api_key:
        parser.error("give --api-key or set CONTENT_API_KEY")
    report = PortalMirror(args.base_url, args.api_key, args.folder).sync()
    print(
        f"{report.events} events: {report.fetched} fetched, {report.not_modified} unchanged "
        f"(304), {report.removed} removed"
    )
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
