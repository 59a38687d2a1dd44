from django.conf import settings
from django.http import HttpRequest

from regions.roles import is_ministry_official, is_regional_preparer


def roles(request: HttpRequest) -> dict:
    user = request.user
    return {
        "is_ministry_official": is_ministry_official(user),
        "is_regional_preparer": is_regional_preparer(user),
    }


def support(request: HttpRequest) -> dict:
    """Where users get help (SUPPORT_EMAIL); pages say nothing of it when it is not set."""
    return {"support_email": settings.SUPPORT_EMAIL}
