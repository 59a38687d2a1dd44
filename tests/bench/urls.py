"""The benchmark's URL conf: the application's, plus the bare view that every page is measured
against. Only the benchmark's own process uses it (ROOT_URLCONF), so the application itself has
no benchmark URL."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def bare(request: HttpRequest) -> HttpResponse:
    """As little as a Django view does: the middleware and the session around it are the
    same as every page's (the session is read and saved, the user loaded)."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("steering.urls")),
]
