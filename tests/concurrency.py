"""Requests sent at the same moment, each from its own thread with its own database connection:
for the tests that prove a step happens once however many people ask for it at once.

Django gives every thread its own connection (from the psycopg pool on PostgreSQL), so the
requests really run side by side, as they would on a server with several workers.
"""

import functools
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client

# Every thread must reach the start line within this, and all must be done within FINISH.
START_TIMEOUT = 10
FINISH_TIMEOUT = 30


@dataclass(frozen=True)
class Reply:
    """What one request got back: its status and the messages it left for the next page
    (read in the request's own thread, before its connection is closed)."""

    status_code: int
    errors: tuple[str, ...]
    successes: tuple[str, ...]

    @classmethod
    def of(cls, response: HttpResponse) -> "Reply":
        stored = list(get_messages(response.wsgi_request))
        return cls(
            status_code=response.status_code,
            errors=tuple(str(m) for m in stored if m.level == constants.ERROR),
            successes=tuple(str(m) for m in stored if m.level == constants.SUCCESS),
        )

    def __str__(self) -> str:
        texts = [f"error: {text}" for text in self.errors]
        texts += [f"success: {text}" for text in self.successes]
        return " ".join([str(self.status_code), *texts])

    @property
    def succeeded(self) -> bool:
        """Done, and the page says so."""
        return self.status_code == 302 and bool(self.successes) and not self.errors

    @property
    def refused_with_message(self) -> bool:
        """Not done, and the next page says why (not a 500, not a silent redirect)."""
        return self.status_code == 302 and bool(self.errors) and not self.successes


def post(client: Client, url: str, data: dict | None = None, **extra) -> Reply:
    """POST without following the redirect; the reply has the messages of this request only
    (those of an earlier one, never shown because its redirect was not followed, are dropped)."""
    client.cookies.pop(CookieStorage.cookie_name, None)
    return Reply.of(client.post(url, data or {}, **extra))


def summary(replies) -> str:
    """How many requests got which reply, e.g. "7 × 302 success: Muistio hyväksyttiin..."."""
    counts = Counter(str(reply) for reply in replies)
    return "; ".join(f"{count} × {text}" for text, count in counts.most_common())


def logged_in(user) -> Client:
    """A browser of its own for one thread (the test client is not shared between threads)."""
    client = Client()
    client.force_login(user)
    return client


def at_once[T](*calls: Callable[[], T]) -> list[T]:
    """Run every call in its own thread, all released together by a barrier; their results in
    the order of the calls.

    A call that raises (with the test client, a view's exception: what would be a 500),
    a thread that does not reach the start line, or one that has not finished in
    FINISH_TIMEOUT seconds (a lock never released?) fails the test with the reason.
    """
    barrier = threading.Barrier(len(calls), timeout=START_TIMEOUT)
    results: list = [None] * len(calls)
    failures: list[str] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception:
            failures.append(f"call {index}:\n{traceback.format_exc()}")
        finally:
            # This thread's own connection: back to the pool, not left open for the next test.
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call), name=f"at-once-{index}", daemon=True)
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + FINISH_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"not finished after {FINISH_TIMEOUT} s (waiting for a lock?): {stuck}"
    assert not failures, "a concurrent request failed:\n" + "\n".join(failures)
    return results


def post_at_once(
    clients: list[Client], url: str, data: dict | list[dict] | None = None
) -> list[Reply]:
    """Every client POSTs to `url` at the same moment: the same `data`, or one dict each."""
    each = data if isinstance(data, list) else [data] * len(clients)
    return at_once(
        *(functools.partial(post, client, url, d) for client, d in zip(clients, each, strict=True))
    )


def until_refused(write: Callable[[int], Reply], *, attempts: int) -> list[Reply]:
    """Repeat a write (numbered 0, 1, ...) until it is no longer accepted, at most `attempts`
    times: a writer that keeps writing while someone else locks the document."""
    replies = []
    for number in range(attempts):
        reply = write(number)
        replies.append(reply)
        if not reply.succeeded:
            break
    return replies
