from rest_framework.routers import DefaultRouter

from claims.api.views import ClaimViewSet, ClusterViewSet, DocumentFetchViewSet, DocumentViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("claims", ClaimViewSet, basename="claim")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("document-fetches", DocumentFetchViewSet, basename="document-fetch")

urlpatterns = router.urls
