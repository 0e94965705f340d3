"""The REST API's routes under /api/v1/: each app contributes its own."""

from django.urls import include, path

urlpatterns = [
    path("", include("claims.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("matching.api.urls")),
]
