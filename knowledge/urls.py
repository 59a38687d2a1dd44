from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.knowledge_index, name="index"),
    path("alueet/<int:pk>/", views.region_profile, name="region-profile"),
    path("indikaattorit/<int:pk>/", views.indicator_detail, name="indicator-detail"),
]
