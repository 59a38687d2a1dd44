"""Bad input never gives a server error: a NUL byte, a 1 MB string and integers out of range
(10**30, -1) in every field of every form, autosave and filter, as a user who may write there.

The table `ENDPOINTS` (tests/endpoints.py) names, per URL name, the demo objects of the URL,
who posts, the fields the view reads and the typed texts that must come back in the form when
they are refused. A URL name missing from the table fails the test: a new endpoint cannot
escape it.
"""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from negotiations.models import Round
from tests.endpoints import (
    ENDPOINTS,
    HTMX,
    Demo,
    Endpoint,
    answers_htmx,
    endpoint_urls,
    resolve_value,
    themes_formset_data,
    url_names,
)
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db

NUL_TEXT = "Kirjoitettu-AAA\x00BBB-teksti"
# The parts around the NUL byte: the form keeps them, with or without the refused character.
NUL_KEPT = ("Kirjoitettu-AAA", "BBB-teksti")
LONG_TEXT = "Pitkä-teksti-" * 76_924  # 1 000 012 characters
BAD_TEXTS = {"NUL byte": NUL_TEXT, "1 MB string": LONG_TEXT}
BAD_NUMBERS = {"10**30": str(10**30), "-1": "-1"}
BAD_VALUES = BAD_TEXTS | BAD_NUMBERS

# --- the test ----------------------------------------------------------------------------------


def is_form_page(response, field: str) -> bool:
    return (
        not response.streaming
        and "text/html" in response.get("Content-Type", "")
        and f'name="{field}"' in response.text
    )


def kept(response, value: str) -> bool:
    if value == NUL_TEXT:
        return all(part in response.text for part in NUL_KEPT)
    return value in response.text


class Attempts:
    """Sends the requests and collects what went wrong, so one run lists every failure."""

    def __init__(self, client) -> None:
        self.client = client
        self.failures: list[str] = []

    def send(self, what: str, method: str, url: str, **kwargs):
        try:
            # A savepoint: a database error in the view must not break the next request.
            with transaction.atomic():
                response = getattr(self.client, method)(url, **kwargs)
        except Exception as error:
            self.failures.append(f"{what}: {type(error).__name__}: {str(error)[:200]!r}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{what}: status {response.status_code}")
            return None
        return response


def bad_upload(value: str) -> SimpleUploadedFile:
    """A file whose name is the bad value."""
    return SimpleUploadedFile(f"{value}.pdf", PDF_BYTES, content_type="application/pdf")


def attack_admin(attempts: Attempts, urls: list[str]) -> None:
    """Django's own pages: the changelists' search, page and order parameters."""
    for url in urls:
        attempts.send(f"GET {url}", "get", url)
        for param, values in (("q", BAD_VALUES), ("p", BAD_NUMBERS), ("o", BAD_NUMBERS)):
            for label, value in values.items():
                attempts.send(f"GET {url}?{param}=<{label}>", "get", url, data={param: value})


def attack_query(attempts: Attempts, url: str, params: tuple[str, ...], variants) -> None:
    """The page itself, and every query parameter it reads with each bad value."""
    attempts.send(f"GET {url}", "get", url)
    for param in params:
        for label, value in BAD_VALUES.items():
            for headers in variants:
                what = f"GET {url}?{param}=<{label}>{' (htmx)' if headers else ''}"
                attempts.send(what, "get", url, data={param: value}, headers=headers)


def attack_posts(attempts, url, endpoint: Endpoint, demo: Demo, variants, log_in) -> None:
    """Each field the view reads with each bad value, one field at a time; a refused typed
    text must come back in the form of a plain POST."""
    texts = set(resolve_value(endpoint.texts, demo))
    fields = endpoint.only or [*endpoint.data(demo), *resolve_value(endpoint.extra, demo)]
    if not fields and not endpoint.files:
        fields = ["anything"]  # the endpoint reads nothing: a stray field must not matter
    for field in fields:
        for label, value in BAD_VALUES.items():
            for headers in variants:
                if endpoint.setup:
                    endpoint.setup(demo)
                log_in()  # a logout or a failed login changes the session
                data = endpoint.data(demo) | {field: value}
                what = f"POST {url} {field}=<{label}>{' (htmx)' if headers else ''}"
                response = attempts.send(what, "post", url, data=data, headers=headers)
                if response is None or headers or field not in texts or label not in BAD_TEXTS:
                    continue
                if not (is_form_page(response, field) and kept(response, value)):
                    where = response.get("Location", "")
                    attempts.failures.append(
                        f"{what}: the typed text is not kept in a form (status "
                        f"{response.status_code}{' to ' + where if where else ''})"
                    )
    for field in endpoint.files:
        for label, value in BAD_TEXTS.items():
            if endpoint.setup:
                endpoint.setup(demo)
            log_in()
            data = endpoint.data(demo) | {field: bad_upload(value)}
            attempts.send(f"POST {url} {field}=<file named {label}>", "post", url, data=data)


@pytest.mark.parametrize("name", url_names())
def test_bad_input_gives_a_form_error_or_4xx_never_a_server_error(
    demo_data, client, media_root, name
):
    if name not in ENDPOINTS:
        pytest.fail(
            f"URL name {name!r} is not in ENDPOINTS of tests/endpoints.py: add which objects it "
            "needs, who may write there and which fields it reads."
        )
    demo = Demo(seed=False)
    demo.extras()
    endpoint = ENDPOINTS[name]
    attempts = Attempts(client)

    def log_in() -> None:
        client.logout()
        if user := demo.user(endpoint.user):
            client.force_login(user)

    log_in()
    urls = endpoint_urls(name, demo)
    if name == "admin":
        attack_admin(attempts, urls)
    else:
        variants = ({}, HTMX) if answers_htmx(urls[0]) else ({},)
        attack_query(attempts, urls[0], endpoint.query, variants)
        if endpoint.data is not None:
            attack_posts(attempts, urls[0], endpoint, demo, variants, log_in)
    assert not attempts.failures, "\n".join(attempts.failures)


# --- a round theme that is in use ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("round_name", "theme_code", "used_in"),
    [
        # Pirkanmaa's draft and four submitted reports answer this theme.
        ("Hyvinvointialueneuvottelut 2027", "jarjestamisvastuu", "tilannekuvassa"),
        # Pirkanmaa's published and Lappi's draft record have written under it.
        ("Hyvinvointialueneuvottelut 2023", "pelastustoimi", "muistiossa"),
    ],
)
def test_a_round_theme_with_written_sections_is_not_deleted_and_the_row_says_why(
    demo_data, client, round_name, theme_code, used_in
):
    client.force_login(User.objects.get(username="ministry"))
    round_ = Round.objects.get(name_fi=round_name)
    themes = list(round_.round_themes.order_by("position", "pk").select_related("theme"))
    doomed = next(index for index, rt in enumerate(themes) if rt.theme.code == theme_code)
    edited = 0 if doomed else 1
    data = themes_formset_data(round_) | {
        f"round_themes-{doomed}-DELETE": "on",
        f"round_themes-{edited}-guiding_questions_fi": "Uusi kysymys, kirjoitettu juuri",
    }
    before = themes[edited].guiding_questions_fi

    response = client.post(reverse("negotiations:round-themes", args=[round_.pk]), data)

    assert response.status_code == 400
    text = response.content.decode()
    assert f"Teemaa ”{themes[doomed].theme.title}” ei voi poistaa" in text
    assert used_in in text
    assert "Uusi kysymys, kirjoitettu juuri" in text  # the rest of the form is kept
    assert round_.round_themes.filter(pk=themes[doomed].pk).exists()
    themes[edited].refresh_from_db()
    assert themes[edited].guiding_questions_fi == before  # and nothing is half-saved
