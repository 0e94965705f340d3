from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from claims import ingestion, selectors, services
from claims.api.filters import ClaimFilter, DocumentFilter
from claims.api.serializers import (
    ClaimSerializer,
    DocumentCreateSerializer,
    DocumentDetailSerializer,
    DocumentFetchSerializer,
    DocumentFromUrlSerializer,
    DocumentListSerializer,
)


class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Articles as received. Posting the same content twice answers with the stored document (200)."""

    filterset_class = DocumentFilter

    def get_queryset(self):
        if self.action == "list":
            return selectors.document_list()
        return selectors.document_detail_queryset()

    def get_serializer_class(self):
        if self.action == "list":
            return DocumentListSerializer
        if self.action == "create":
            return DocumentCreateSerializer
        return DocumentDetailSerializer

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="DocumentCreateRequest",
            serializers=[DocumentCreateSerializer, DocumentFromUrlSerializer],
            resource_type_field_name=None,
        ),
        responses={
            201: DocumentDetailSerializer,
            200: DocumentDetailSerializer,
            202: DocumentFetchSerializer,
        },
        description=(
            'Post the article\'s text, or `{"url": ...}` to have the page fetched in the '
            "background: 202 with the fetch to follow (`status_url`), or 200 with the document "
            "when that URL is already stored."
        ),
    )
    def create(self, request: Request) -> Response:
        if "text" not in request.data and "url" in request.data:
            return self._create_from_url(request)
        serializer = DocumentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = services.document_ingest(**serializer.validated_data, created_by=request.user)
        except services.DocumentRejected as error:
            raise serializers.ValidationError({"text": [str(error)]}) from error
        document = selectors.document_detail_queryset().get(pk=result.document.pk)
        return Response(
            DocumentDetailSerializer(document).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    def _create_from_url(self, request: Request) -> Response:
        """`{"url": ...}`: the stored document (200), or 202 and a fetch to follow."""
        serializer = DocumentFromUrlSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            requested = ingestion.document_fetch_request(
                url=serializer.validated_data["url"], requested_by=request.user
            )
        except services.DocumentRejected as error:
            raise serializers.ValidationError({"url": [str(error)]}) from error
        if requested.document is not None:
            document = selectors.document_detail_queryset().get(pk=requested.document.pk)
            return Response(DocumentDetailSerializer(document).data, status=status.HTTP_200_OK)
        fetch = selectors.document_fetch_detail().get(pk=requested.fetch.pk)
        data = DocumentFetchSerializer(fetch, context={"request": request}).data
        headers = {"Location": data["status_url"]}
        return Response(data, status=status.HTTP_202_ACCEPTED, headers=headers)


class DocumentFetchViewSet(viewsets.ReadOnlyModelViewSet):
    """Articles asked for by URL: pending until fetched, then done (with the document) or failed."""

    serializer_class = DocumentFetchSerializer

    def get_queryset(self):
        return selectors.document_fetch_detail()


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Claims found in documents, most check-worthy first."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter

    def get_queryset(self):
        return selectors.claim_list()
