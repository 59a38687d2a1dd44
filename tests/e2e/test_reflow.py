"""Every page reflows (WCAG 1.4.10): each demo user's pages, found by following the links from
the home page, at a 1280 px laptop window and at 320 CSS px, a phone at 400 % zoom.

At both widths axe finds no violation; at 320 px the page does not scroll sideways (wide
tables scroll inside their own focusable region); at 1280 px no table needs to scroll at all.
Every page but home and signing in has a breadcrumb trail that ends in it, no page shows a
template comment as text, no Finnish or Swedish page shows English words outside stored texts
(those carry a lang attribute of their own), and every link the crawl follows answers without
an error. The ministry official and Lappi's preparer crawl in Swedish, the others in Finnish.

One browser, one page per user. Pages of the same shape (every section history, every
negotiation of a round) are visited once: the first link found of each shape."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A 1280 px window less a 17 px classic scrollbar: headless Chromium shows none, a desktop
# browser does, and the page has that much less room.
LAPTOP = {"width": 1280 - 17, "height": 800}
PHONE = {"width": 320, "height": 640}
# Not pages of ours: the admin is Django's, the rest are downloads.
NOT_PAGES = re.compile(r"^/admin/|\.(pdf|ics|csv)$|/attachments/\d+/$|/assessment/file/$")

# Every page shows where it is, except the two where one starts: home and signing in.
BREADCRUMBS = "Murupolku"  # its label in the page's language: breadcrumbs_label()
WITHOUT_BREADCRUMBS = {"/", "/login/"}

LINKS = """() => [...document.querySelectorAll('a[href]:not([download])')].map(a => a.href)"""
# The text a reader meets in the page's own language: visible text nodes whose nearest
# lang attribute is the page's (a stored Finnish record in a Swedish page says lang="fi").
PAGE_LANGUAGE_TEXT = """() => {
    const language = document.documentElement.lang;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        if (parent.closest('[lang]').lang !== language || !parent.checkVisibility()) continue;
        texts.push(walker.currentNode.textContent);
    }
    return texts.join(' ');
}"""
# Words of English that neither Finnish nor Swedish uses: a string left untranslated (ours or
# Django's) shows one of them.
ENGLISH = re.compile(
    r"\b(the|and|of|this|that|field|select|option|required|enter|please|save|delete|search|"
    r"submit|show|hide|page|your|with|from|next|previous|yes|add|change|view)\b",
    re.IGNORECASE,
)
SWEDISH_USERS = {"ministry", "lappi"}

OVERFLOWING_TABLES = """() => [...document.querySelectorAll('.table-scroll')]
    .filter(box => box.scrollWidth > box.clientWidth)
    .map(box => `#${box.getAttribute('aria-labelledby')}`
        + ` (${box.scrollWidth} px in ${box.clientWidth})`)
"""


def shape(path: str) -> str:
    """/negotiations/85/record/ and /negotiations/63/record/ are one shape."""
    return re.sub(r"\d+", "N", path)


def page_language(page: Page) -> str:
    return page.evaluate("document.documentElement.lang")


def breadcrumbs_label(page: Page) -> str:
    with translation.override(page_language(page)):
        return gettext(BREADCRUMBS)


def page_problems(page: Page, axe: Axe, path: str) -> tuple[list[str], list[str]]:
    """What is wrong with `path` at both widths, and the paths it links to."""
    problems = []
    page.set_viewport_size(LAPTOP)
    response = page.goto(path)
    if response is None or response.status >= 400:
        status = response.status if response else "no response"
        return [f"{path}: status {status} (a link leads there)"], []
    html = response.text()
    if "{#" in html or "#}" in html:
        problems.append(f"{path}: a template comment shows as text")
    english = sorted({word.lower() for word in ENGLISH.findall(page.evaluate(PAGE_LANGUAGE_TEXT))})
    if english:
        problems.append(f"{path}: English words in a {page_language(page)} page: {english}")
    trail = page.locator(f'nav[aria-label="{breadcrumbs_label(page)}"] [aria-current="page"]')
    if path not in WITHOUT_BREADCRUMBS and trail.count() != 1:
        problems.append(f"{path}: no breadcrumb trail that ends in this page")
    problems += [
        f"{path} at 1280 px: the table {table} scrolls"
        for table in page.evaluate(OVERFLOWING_TABLES)
    ]
    results = axe.run(page)
    if results.violations_count:
        problems.append(f"{path} at 1280 px:\n{results.generate_report()}")

    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{path} at 320 px: the page is {width} px wide")
    results = axe.run(page)
    if results.violations_count:
        problems.append(f"{path} at 320 px:\n{results.generate_report()}")

    ours = urlsplit(page.url).netloc
    links = [urlsplit(urljoin(page.url, href)) for href in page.evaluate(LINKS)]
    return problems, [
        url.path for url in links if url.netloc == ours and not NOT_PAGES.search(url.path)
    ]


# With the fewest page shapes each user should find: a crawl that stops early fails.
@pytest.mark.parametrize(
    ("username", "at_least"),
    [("admin", 14), ("ministry", 14), ("pirkanmaa", 9), ("lappi", 6), (None, 4)],
)
def test_every_page_reflows_at_320_px_and_passes_axe_at_both_widths(
    open_page, demo_data, axe, username, at_least, log_in
):
    page = open_page()
    page.goto("/login/")
    if username:
        log_in(page, username)
        page.wait_for_url("/")
    if username in SWEDISH_USERS:
        page.get_by_role("button", name="Svenska").click()
        page.wait_for_load_state()
        assert page_language(page) == "sv"
    queue = ["/", "/login/", "/julkiset/"] if username is None else ["/"]
    shapes_seen, problems = set(), []
    while queue:
        path = queue.pop(0)
        if shape(path) in shapes_seen:
            continue
        shapes_seen.add(shape(path))
        found, links = page_problems(page, axe, path)
        problems += found
        queue += links
    assert len(shapes_seen) >= at_least, sorted(shapes_seen)
    assert not problems, "\n".join(problems)
