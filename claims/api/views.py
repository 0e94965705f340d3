from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims import selectors, services
from claims.api.filters import ClaimFilter, DocumentFilter
from claims.api.serializers import (
    ClaimSerializer,
    DocumentCreateSerializer,
    DocumentDetailSerializer,
    DocumentListSerializer,
    EvidenceLinkSerializer,
)
from claims.models import Claim, Document, EvidenceLink


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
        request=DocumentCreateSerializer,
        responses={201: DocumentDetailSerializer, 200: DocumentDetailSerializer},
    )
    def create(self, request: Request) -> Response:
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


class EvidenceCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, required=False, default="", allow_blank=True)
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.only("id"), required=False, allow_null=True, default=None
    )
    excerpt = serializers.CharField(required=False, default="", allow_blank=True, max_length=10_000)
    stance = serializers.ChoiceField(choices=EvidenceLink.Stance.choices, default="context")
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=10_000)

    def validate_url(self, value: str) -> str:
        if value and not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Evidence URLs must be http or https.")
        return value

    def validate(self, attrs: dict) -> dict:
        if not attrs["url"] and attrs["document"] is None:
            raise serializers.ValidationError("Give the evidence a url or a document.")
        return attrs


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Claims found in documents, most check-worthy first."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter

    def get_queryset(self):
        return selectors.claim_list()

    @extend_schema(request=EvidenceCreateSerializer, responses={201: EvidenceLinkSerializer})
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request: Request, pk: str) -> Response:
        claim = get_object_or_404(Claim.objects.only("id"), pk=pk)
        if request.method == "GET":
            links = EvidenceLink.objects.filter(claim=claim).select_related("added_by")
            return Response(EvidenceLinkSerializer(links, many=True).data)
        serializer = EvidenceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.evidence_add(
            claim=claim, added_by=request.user, **serializer.validated_data
        )
        return Response(EvidenceLinkSerializer(link).data, status=status.HTTP_201_CREATED)
