from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from negotiations.views import home as negotiation_views
from negotiations.views import pages
from regions.forms import LoginForm
from regions.views import set_language

admin.site.site_header = _("Ohjausneuvottelut – ylläpito")
admin.site.site_title = _("Ohjausneuvottelut")
admin.site.index_title = _("Ylläpito")

urlpatterns = [
    path("", negotiation_views.home, name="home"),
    path("healthz", negotiation_views.healthz, name="healthz"),
    path("saavutettavuus/", pages.accessibility_statement, name="accessibility-statement"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("tietopohja/", include("knowledge.urls")),
    path("", include("negotiations.urls")),
]
