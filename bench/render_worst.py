"""The slowest bodies we can construct, rendered as publishing renders them: the worst case.

Each case repeats one pattern (nested emphasis, brackets, links, tables, HTML, long lines,
many blocks) as far as the write-time limits allow (MAX_BODY_CHARS, MAX_BODY_LINES,
MAX_BODY_MARKUP), then times Markdown to sanitized HTML plus the reading grade, best of
three runs each. With --unbounded it repeats them up to MAX_BODY_CHARS alone, as the service
accepted before the limits. Run: `make bench-render` (or python -m bench.render_worst).
"""

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django

django.setup()

from django.conf import settings  # noqa: E402

from delivery.readability import reading_grade  # noqa: E402
from delivery.rendering import body_complexity, html_to_text, markdown_to_html  # noqa: E402

PATTERNS = {
    "open bracket + star": "[*",
    "star + open bracket": "*[",
    "alternating * and _": "*_",
    "open brackets": "[",
    "link openers": "[a](",
    "bold words": "**a** ",
    "table rows": "|x|y|\n",
    "html tags": "<b>",
    "entities": "&amp;",
    "autolinks": "<http://a.b/c> ",
    "paragraphs": "a\n\n",
    "headings": "# h\n",
    "bullets": "- a\n",
    "ordered items": "1. a\n",
    "setext headings": "a\n=\n",
    "html blocks": "<div>\n\n",
    "block quotes": "> a\n",
    "long line of words": "word ",
    "bullets of links and stars": "- <http://a.b/c> [*\n",
}


def worst_body(unit: str, *, bounded: bool) -> str:
    """`unit` repeated until the next copy would break a limit."""
    lines, markup = body_complexity(unit)
    lines -= 1  # body_complexity counts a body's lines, not its line breaks
    copies = settings.MAX_BODY_CHARS // len(unit)
    if bounded:
        if lines:
            copies = min(copies, (settings.MAX_BODY_LINES - 1) // lines)
        if markup:
            copies = min(copies, settings.MAX_BODY_MARKUP // markup)
    body = unit * copies
    if unit.startswith("|"):
        body = "|a|b|\n|-|-|\n" + body[: len(body) - 12]
    return body


def time_render(body: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        markdown_to_html.cache_clear()
        started = time.perf_counter()
        reading_grade(html_to_text(markdown_to_html(body)), "en")
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unbounded", action="store_true", help="ignore the structure limits")
    args = parser.parse_args()
    bounded = not args.unbounded
    print(
        f"Limits: {settings.MAX_BODY_CHARS} chars"
        + (f", {settings.MAX_BODY_LINES} lines, {settings.MAX_BODY_MARKUP} markup characters"
           if bounded else " (structure limits ignored)")
    )  # fmt: skip
    results = []
    for name, unit in PATTERNS.items():
        body = worst_body(unit, bounded=bounded)
        lines, markup = body_complexity(body)
        ms = time_render(body)
        results.append((ms, name))
        print(f"  {name:22} {len(body):7d} chars {lines:6d} lines {markup:7d} markup  {ms:8.1f} ms")
    worst_ms, worst_name = max(results)
    print(f"Worst: {worst_name}, {worst_ms:.1f} ms (target: 250 ms)")


if __name__ == "__main__":
    main()
