from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from negotiations.models import Negotiation, Round
from regions.models import Region
from regions.roles import is_ministry_official


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The rounds for the ministry; the region's own negotiations for a preparer."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_ministry_official(user):
        rounds = Round.objects.for_user(user).with_negotiation_count()
        return render(request, "negotiations/home.html", {"rounds": rounds})
    negotiations = (
        Negotiation.objects.for_user(user)
        .select_related("round", "region")
        .order_by("-round__period_start", "region__name_fi")
    )
    return render(
        request,
        "negotiations/home.html",
        {
            "own_regions": Region.objects.prepared_by(user),
            "negotiations": negotiations,
        },
    )


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
