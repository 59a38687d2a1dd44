"""Every page is valid HTML: the Nu HTML Checker (vnu.jar of npm's vnu-jar, run with the
machine's Java) finds no error in any page of the URL map as each demo user sees it (the
admin, a ministry official, two regional preparers and an anonymous visitor), the 403 and
404 pages included.

The pages are written to a temporary folder and checked in one run of the checker: one JVM
start, not one per page. Downloads (PDF, CSV, calendars, attachments) are not HTML, htmx
answers are fragments of a page, and the admin's pages are Django's own templates."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.endpoints import Demo, endpoint_urls, url_names

# Markup is the same whichever database the pages read: make test checks it in its SQLite
# run only. That no page is a server error for any user is tested on both databases by
# tests/test_get_is_safe.py.
pytestmark = [pytest.mark.django_db, pytest.mark.any_database]

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
USERS = ["admin", "ministry", "pirkanmaa", "lappi", None]
# Not pages: downloads and the admin. Rendering a PDF only to throw it away costs seconds.
NOT_PAGES = {
    "admin",
    "healthz",
    "logout",
    "negotiations:round-calendar",
    "negotiations:negotiation-calendar",
    "negotiations:report-attachment",
    "negotiations:assessment-file",
    "negotiations:record-pdf",
    "negotiations:round-pdf",
    "negotiations:public-record-pdf",
    "negotiations:action-export",
}


def rendered_pages(client) -> tuple[dict[str, str], list[str]]:
    """{"who GET url (status)": html} of every page, one 403 and one 404 page per user; and
    the pages that answered with a server error."""
    demo = Demo()
    demo.extras()
    client.raise_request_exception = False
    pages, server_errors, error_pages_seen = {}, [], set()
    for username in USERS:
        client.logout()
        if user := demo.user(username):
            client.force_login(user)
        for name in url_names():
            if name in NOT_PAGES:
                continue
            for url in endpoint_urls(name, demo):
                response = client.get(url)
                who = username or "anonymous"
                if response.status_code >= 500:
                    server_errors.append(f"{who} GET {url}: status {response.status_code}")
                    continue
                is_html = "text/html" in response.get("Content-Type", "")
                if response.status_code in (301, 302, 405) or not is_html:
                    continue
                if response.status_code in (403, 404):
                    if (username, response.status_code) in error_pages_seen:
                        continue
                    error_pages_seen.add((username, response.status_code))
                pages[f"{who} GET {url} ({response.status_code})"] = response.text
    return pages, server_errors


def vnu_errors(folder: Path) -> list[dict]:
    """The checker's errors for the .html files of `folder`, in one run."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail(
            "The Nu HTML Checker needs Java and node_modules/vnu-jar: run `make test`, or "
            "`npm ci --ignore-scripts` with Java 11 or newer installed."
        )
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def test_every_page_is_valid_html_for_every_user(client, media_root, tmp_path):
    pages, server_errors = rendered_pages(client)
    folder = tmp_path / "pages"
    folder.mkdir()
    names = {}
    for number, (what, html) in enumerate(pages.items()):
        path = folder / f"page-{number:03}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = what

    errors = vnu_errors(folder)

    assert len(pages) > 50, "the URL map gave fewer pages than expected"
    listed = [
        f"{names.get(error.get('url', '').rsplit('/', 1)[-1], error.get('url'))}, "
        f"line {error.get('lastLine')}: {error['message']}\n    {error.get('extract', '').strip()}"
        for error in errors
    ]
    assert not server_errors and not errors, "\n".join(
        [*server_errors, f"{len(errors)} HTML errors:", *listed]
    )
