"""Limits on what a request may carry before any view reads it."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# Proxies and gunicorn refuse request lines much longer than this (gunicorn: 4094 bytes);
# the same limit here keeps a development server or a direct connection from passing a
# megabyte of search text to a database LIKE.
MAX_QUERY_STRING = 8192


class QueryStringLimitMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return HttpResponse(
                _("Verkko-osoite on liian pitkä. Lyhennä hakua ja yritä uudelleen."),
                status=414,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
