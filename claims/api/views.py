from collections.abc import Mapping

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import actors, disputes, ingestion, search, selectors, services
from claims.api.filters import ClaimFilter, DocumentFilter
from claims.api.serializers import (
    ActorMergeSerializer,
    ActorRenameSerializer,
    ActorSerializer,
    ActorSplitSerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    ClusterSerializer,
    ClusterSummarySerializer,
    DisputeSerializer,
    DocumentCreateSerializer,
    DocumentDetailSerializer,
    DocumentFetchSerializer,
    DocumentFromUrlSerializer,
    DocumentListSerializer,
    StoryDetailSerializer,
    StoryListSerializer,
)
from claims.models import Actor, Claim, Dispute, Story


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
        if not isinstance(request.data, Mapping):
            raise serializers.ValidationError(
                {"non_field_errors": ["Send a JSON object with text or url."]}
            )
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
        headers = {"Location": str(data["status_url"])}  # wsgiref wants a plain str
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

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.action == "retrieve" else ClaimSerializer


class ClusterViewSet(viewsets.ReadOnlyModelViewSet):
    """Claim clusters: the claims elsewhere that assert the same thing. A cluster's page lists
    every appearance (claim, document, outlet, speaker, date, text) and its archive matches."""

    def get_queryset(self):
        if self.action == "list":
            return selectors.cluster_list()
        return selectors.cluster_detail_queryset()

    def get_serializer_class(self):
        return ClusterSummarySerializer if self.action == "list" else ClusterSerializer


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    score = serializers.FloatField(help_text="How much of the query the result holds, 0 to 1.")
    title = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    type = serializers.CharField()
    results = SearchHitSerializer(many=True)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(allow_blank=True, trim_whitespace=False)
    type = serializers.CharField(default="claim")
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class SearchView(APIView):
    """Ranked search that tolerates spelling, transliteration and accents. `type` is claim,
    document, or a type an installed app adds (factcheck). An empty query, or one longer than
    200 characters, answers 400."""

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultSerializer},
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        hits = search.search(
            query=params.validated_data["q"],
            type_name=params.validated_data["type"],
            limit=params.validated_data["limit"],
        )
        return Response(
            {
                "query": params.validated_data["q"],
                "type": params.validated_data["type"],
                "results": SearchHitSerializer(hits, many=True).data,
            }
        )


class StoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Stories: one event as told by one or more outlets, with its sides and disputes."""

    def get_queryset(self):
        return selectors.story_list()

    def get_serializer_class(self):
        return StoryListSerializer if self.action == "list" else StoryDetailSerializer

    def retrieve(self, request: Request, pk: str) -> Response:
        if not pk.isdigit():
            raise Http404
        try:
            detail = selectors.story_detail(story_id=int(pk))
        except Story.DoesNotExist as error:
            raise Http404 from error
        return Response(StoryDetailSerializer(detail).data)


class ActorViewSet(viewsets.ReadOnlyModelViewSet):
    """Who makes claims; editors rename, merge and split them."""

    serializer_class = ActorSerializer

    def get_queryset(self):
        return selectors.actor_list().prefetch_related("aliases")

    @extend_schema(request=ActorRenameSerializer, responses={200: ActorSerializer})
    @action(detail=True, methods=["post"])
    def rename(self, request: Request, pk: str) -> Response:
        serializer = ActorRenameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._change(
            lambda actor: actors.actor_rename(
                actor=actor, name=serializer.validated_data["name"], by=request.user
            )
        )

    @extend_schema(request=ActorMergeSerializer, responses={200: ActorSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Merges this actor into `into`: 400 with the reason for itself or another kind."""
        serializer = ActorMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._change(
            lambda actor: actors.actor_merge(
                actor=actor, into=serializer.validated_data["into"], by=request.user
            )
        )

    @extend_schema(request=ActorSplitSerializer, responses={200: ActorSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str) -> Response:
        """A new actor takes the named aliases of this one, and the claims made under them."""
        serializer = ActorSplitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        names = serializer.validated_data["aliases"]

        def split(actor: Actor) -> Actor:
            keys = {actors.alias_key(name, actor.kind) for name in names}
            return actors.actor_split(
                actor=actor,
                aliases=actor.aliases.filter(key__in=keys),
                name=serializer.validated_data["name"],
                by=request.user,
            )

        return self._change(split)

    def _change(self, change) -> Response:
        """Domain errors (400 with the reason, 403) answer through factdesk.api_errors."""
        result = change(get_object_or_404(Actor, pk=self.kwargs["pk"]))
        return Response(ActorSerializer(self.get_queryset().get(pk=result.pk)).data)


class DisputeViewSet(viewsets.ReadOnlyModelViewSet):
    """Claims of a story that disagree; reviewers confirm or dismiss them."""

    serializer_class = DisputeSerializer
    filterset_fields = ["story", "kind", "state"]

    def get_queryset(self):
        return Dispute.objects.prefetch_related(
            Prefetch("claims", queryset=Claim.objects.only("id").order_by("id"))
        ).order_by("id")

    @extend_schema(request=None, responses={200: DisputeSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        return self._decide(disputes.dispute_confirm)

    @extend_schema(request=None, responses={200: DisputeSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        return self._decide(disputes.dispute_dismiss)

    def _decide(self, decide) -> Response:
        dispute = get_object_or_404(Dispute, pk=self.kwargs["pk"])
        decide(dispute=dispute, by=self.request.user)
        return Response(DisputeSerializer(self.get_queryset().get(pk=dispute.pk)).data)
