from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from factdesk.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("factdesk.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("healthz", healthz, name="healthz"),
    # The public fact-check pages, at the path FACTDESK_PUBLIC_URL_TEMPLATE names.
    path("", include("reviews.public_urls")),
]
