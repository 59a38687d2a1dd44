from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from regions.models import Profile


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also remembers the choice for e-mails to this user."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(
        Profile._meta.get_field("language").choices
    ):
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    return response
