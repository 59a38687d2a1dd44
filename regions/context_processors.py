from django.http import HttpRequest

from regions.roles import is_ministry_official, is_regional_preparer


def roles(request: HttpRequest) -> dict:
    user = request.user
    return {
        "is_ministry_official": is_ministry_official(user),
        "is_regional_preparer": is_regional_preparer(user),
    }
