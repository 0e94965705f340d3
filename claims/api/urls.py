from rest_framework.routers import DefaultRouter

from claims.api.views import ClaimViewSet, DocumentViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("claims", ClaimViewSet, basename="claim")

urlpatterns = router.urls
