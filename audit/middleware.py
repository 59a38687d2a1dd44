"""The usage log, no-store headers, the idle timeout's refresh and the absolute session age,
one middleware each."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.cache import patch_cache_control
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from audit import log
from audit.routes import describe

# The session key of the moment the user signed in (seconds since the epoch).
SIGNED_IN_AT = "signed_in_at"
# Why the user was signed out, for the sign-out entry (set on the request before logout()).
SIGN_OUT_REASON = "usage_log_sign_out_reason"
# The session key of the moment the session was last saved for activity, and how often at most
# activity saves it (SessionRefreshMiddleware).
REFRESHED_AT = "refreshed_at"
SESSION_REFRESH_SECONDS = 60


class UsageLogMiddleware:
    """Writes the request's entries after the response: the request itself when it is worth
    logging (audit.routes) and what the signals noted meanwhile, in one INSERT."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = log.begin(request)
        try:
            response = self.get_response(request)
        finally:
            request_log = log.end(token)
        log.write(request_log, response, describe(request, response))
        return response


# Files people download: kept out of every cache whoever asks (the round's calendar feed is
# fetched by calendar programs without a session, but its URL is a secret).
DOWNLOAD_TYPES = ("application/pdf", "text/csv", "text/calendar", "text/plain")


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every page of a signed-in user and on every
    download, unless the view said otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        user = getattr(request, "user", None)
        if (
            content_type in DOWNLOAD_TYPES
            or response.has_header("Content-Disposition")
            or (user is not None and user.is_authenticated)
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response


class SessionRefreshMiddleware:
    """Activity keeps a session alive: the idle timeout (SESSION_COOKIE_AGE) starts again when
    the session is saved. Saving it on every request (SESSION_SAVE_EVERY_REQUEST) would make
    every page view a write, one transaction more per request and, on SQLite, a wait for the
    write lock; a session with something in it is saved again when its last save for activity
    is SESSION_REFRESH_SECONDS old, so the idle timeout is exact to that much."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.keys():  # loaded already for the user; nothing read without a cookie
            now = int(time.time())
            refreshed_at = session.get(REFRESHED_AT)
            if not isinstance(refreshed_at, int) or now - refreshed_at >= SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # saved by SessionMiddleware, expiry moved on
        return response


class SessionMaxAgeMiddleware:
    """Signs the user out when the sign-in is older than SESSION_ABSOLUTE_MAX_AGE seconds,
    however active the session has been (the idle timeout is SESSION_COOKIE_AGE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._too_old(request):
            return self._sign_out(request)
        return self.get_response(request)

    def _too_old(self, request: HttpRequest) -> bool:
        signed_in_at = request.session.get(SIGNED_IN_AT)
        # A session without the time predates the limit: it gets no exemption.
        if not isinstance(signed_in_at, int | float):
            return True
        return time.time() - signed_in_at > settings.SESSION_ABSOLUTE_MAX_AGE

    def _sign_out(self, request: HttpRequest) -> HttpResponse:
        setattr(request, SIGN_OUT_REASON, "absolute-max-age")
        logout(request)
        hours = settings.SESSION_ABSOLUTE_MAX_AGE // 3600
        messages.info(
            request,
            ngettext(
                "Istunto päättyi, koska kirjautumisesta on kulunut yli %(hours)d tunti. "
                "Kirjaudu uudelleen.",
                "Istunto päättyi, koska kirjautumisesta on kulunut yli %(hours)d tuntia. "
                "Kirjaudu uudelleen.",
                hours,
            )
            % {"hours": hours},
        )
        # Back to the same page after signing in, unless it was a form sent (its data is lost
        # like after the idle timeout) or an htmx request (the whole page must go).
        if request.method == "GET":
            url = redirect_to_login(request.get_full_path()).url
        else:
            url = resolve_url(settings.LOGIN_URL)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
