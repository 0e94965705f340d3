import csv
from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, get_error_detail
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import selectors as claim_selectors
from claims.api.serializers import ClusterSerializer
from claims.models import Claim
from factdesk.pagination import PageWithoutCount
from factdesk.renderers import FastJSONRenderer
from factdesk.roles import IsDeskMember, IsEditor
from reviews import claimreview, clusters, selectors, services, workflow, workspace
from reviews.api.serializers import (
    EvidenceCreateSerializer,
    EvidenceLinkSerializer,
    PromoteSerializer,
    QueueFilterSerializer,
    QueueItemSerializer,
    RatingSerializer,
    ReviewSerializer,
    transition_request_serializer,
)
from reviews.models import EvidenceLink, Rating, Review

ROLE_NEEDED = "Adding evidence needs the reviewer or editor role."
# QueueFilterSerializer's fields, bound once: the queue validates its filters with them per
# request without building a serializer (the same values and the same 400 bodies).
_QUEUE_FILTER_FIELDS = QueueFilterSerializer().fields


def queue_filters(params) -> dict:
    """What `QueueFilterSerializer(data=params)` validates to, or its ValidationError."""
    chosen, errors = {}, {}
    for name, field in _QUEUE_FILTER_FIELDS.items():
        try:
            chosen[name] = field.run_validation(field.get_value(params))
        except SkipField:
            continue
        except ValidationError as error:
            errors[name] = error.detail
        except DjangoValidationError as error:
            errors[name] = get_error_detail(error)
    if errors:
        raise ValidationError(errors)
    return chosen


class QueueView(generics.ListAPIView):
    """The desk's queue, highest priority first (queued items unless state/assignee/mine say otherwise)."""

    permission_classes = [IsDeskMember]
    serializer_class = QueueItemSerializer
    pagination_class = PageWithoutCount
    filter_backends = []
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    @extend_schema(parameters=[QueueFilterSerializer])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset) -> list[dict]:
        return selectors.queue_page_named(super().paginate_queryset(queryset))

    def get_queryset(self) -> "_QueuePages":
        chosen = queue_filters(self.request.query_params)
        return _QueuePages(
            user=self.request.user,
            state=chosen.get("state"),
            assignee_id=chosen.get("assignee"),
            mine=chosen["mine"],
            outlet=chosen.get("outlet"),
            claim_type=chosen.get("type"),
            min_score=chosen.get("min_score"),
        )


class _QueuePages:
    """What the paginator slices: a window of the queue reads that page's rows."""

    def __init__(self, *, user, **filters) -> None:
        self.user = user
        self.filters = filters

    def __getitem__(self, window: slice) -> list[dict]:
        return selectors.review_queue_page(
            user=self.user, start=window.start, stop=window.stop, **self.filters
        )


def _respond_with_review(run: Callable[[], Review], *, created: bool = False) -> Response:
    """Runs a service; its domain errors answer through factdesk.api_errors."""
    review = run()
    fresh = selectors.review_get(review_id=review.pk)
    return Response(
        ReviewSerializer(fresh).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


class ClaimNextView(APIView):
    """Assigns the highest-priority queued claim to the caller; 204 when the queue is empty."""

    permission_classes = [IsDeskMember]

    @extend_schema(request=None, responses={200: ReviewSerializer, 204: None})
    def post(self, request: Request) -> Response:
        review = services.review_claim_next(actor=request.user)
        if review is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        # The service answers the review with what its page shows: no second read.
        return Response(ReviewSerializer(review).data)


class PromoteView(APIView):
    """An editor puts a claim below the threshold into the queue."""

    permission_classes = [IsDeskMember]

    @extend_schema(request=PromoteSerializer, responses={201: ReviewSerializer})
    def post(self, request: Request) -> Response:
        data = _valid(PromoteSerializer, request)
        if not Claim.objects.filter(pk=data["claim"]).exists():
            raise ValidationError({"claim": [f"There is no claim with id {data['claim']}."]})
        return _respond_with_review(
            lambda: services.review_promote(claim_id=data["claim"], actor=request.user),
            created=True,
        )


class ClusterMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, help_text="The cluster that takes the claims.")


class ClusterSplitSerializer(serializers.Serializer):
    claim = serializers.IntegerField(min_value=1, help_text="The claim to take out.")


def _cluster_response(cluster_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    cluster = claim_selectors.cluster_detail_queryset().get(pk=cluster_id)
    return Response(ClusterSerializer(cluster).data, status=status_code)


class ClusterMergeView(APIView):
    """A reviewer merges this cluster into another (`{"into": id}`); answers with the merged
    cluster. 409 for a merge into itself, or of clusters under open reviews held by two
    different reviewers."""

    permission_classes = [IsDeskMember]

    @extend_schema(request=ClusterMergeSerializer, responses={200: ClusterSerializer})
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(ClusterMergeSerializer, request)
        merged = clusters.cluster_merge(cluster_id=pk, into_id=data["into"], actor=request.user)
        return _cluster_response(merged.pk)


class ClusterSplitView(APIView):
    """A reviewer takes a claim out of this cluster into a new cluster (`{"claim": id}`);
    answers 201 with the new cluster."""

    permission_classes = [IsDeskMember]

    @extend_schema(request=ClusterSplitSerializer, responses={201: ClusterSerializer})
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(ClusterSplitSerializer, request)
        new = clusters.cluster_split(cluster_id=pk, claim_id=data["claim"], actor=request.user)
        return _cluster_response(new.pk, status_code=status.HTTP_201_CREATED)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ReviewViewSet(viewsets.GenericViewSet):
    """A review and its transitions. Every write carries the review's current `version`."""

    permission_classes = [IsDeskMember]
    serializer_class = ReviewSerializer
    queryset = Review.objects.none()
    lookup_value_regex = r"\d+"

    @extend_schema(responses={200: ReviewSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        try:
            review = selectors.review_get(review_id=int(pk))
        except Review.DoesNotExist as error:
            raise Http404("No such review.") from error
        return Response(ReviewSerializer(review).data)

    @extend_schema(responses={200: OpenApiResponse(description="schema.org ClaimReview JSON-LD")})
    @action(detail=True, methods=["get"], permission_classes=[permissions.AllowAny])
    def claimreview(self, request: Request, pk: str) -> Response:
        """Public: the published verdict as ClaimReview; 404 until the review is published."""
        review = selectors.published_reviews().filter(pk=pk).first()
        if review is None:
            raise Http404("No published review with this id.")
        return Response(claimreview.claim_review_jsonld(review=review))


def _transition_action(transition: workflow.Transition):
    """`POST /reviews/{id}/<name>/` for one entry of the transitions table."""
    request_serializer = transition_request_serializer(transition)
    service = getattr(services, transition.service_name)

    def run(self, request: Request, pk: str) -> Response:
        data = _valid(request_serializer, request)
        inputs = {}
        for name in transition.inputs:
            needed = workflow.INPUTS[name]
            value = data[needed.api_field]
            if name == "assignee" and value is not None:
                value = _user(value)
            inputs[needed.kwarg] = value
        return _respond_with_review(
            lambda: service(
                review_id=int(pk), actor=request.user, version=data["version"], **inputs
            )
        )

    run.__name__ = f"transition_{transition.name}"
    run.__doc__ = f"{transition.doing.capitalize()} (see reviews.workflow)."
    run = action(detail=True, methods=["post"], url_path=transition.name, url_name=transition.name)(
        run
    )
    return extend_schema(request=request_serializer, responses={200: ReviewSerializer})(run)


def _user(user_id: int):
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError({"assignee": [f"There is no user {user_id}."]})
    return user


for _transition in workflow.TRANSITIONS.values():
    setattr(ReviewViewSet, f"transition_{_transition.name}", _transition_action(_transition))


class ClaimEvidenceView(APIView):
    """A claim's evidence (`GET`), and a reviewer or editor citing more (`POST`)."""

    @extend_schema(responses={200: EvidenceLinkSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        claim = get_object_or_404(Claim.objects.only("id"), pk=pk)
        links = EvidenceLink.objects.filter(claim=claim).select_related("added_by")
        return Response(EvidenceLinkSerializer(links, many=True).data)

    @extend_schema(
        request=EvidenceCreateSerializer,
        responses={201: EvidenceLinkSerializer, 403: OpenApiResponse(description=ROLE_NEEDED)},
    )
    def post(self, request: Request, pk: int) -> Response:
        claim = get_object_or_404(Claim.objects.only("id"), pk=pk)
        data = _valid(EvidenceCreateSerializer, request)
        link = workspace.claim_evidence_add(claim=claim, actor=request.user, **data)
        return Response(EvidenceLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class ClaimReviewListView(generics.ListAPIView):
    """Public: every published verdict as ClaimReview JSON-LD, newest first."""

    permission_classes = [permissions.AllowAny]
    pagination_class = PageWithoutCount
    filter_backends = []

    def get_queryset(self):
        return selectors.published_reviews()

    @extend_schema(responses={200: OpenApiResponse(description="A page of ClaimReview JSON-LD")})
    def get(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(claimreview.claim_reviews_jsonld(reviews=page))


class RatingViewSet(viewsets.ReadOnlyModelViewSet):
    """The verdict scale, worst first."""

    serializer_class = RatingSerializer
    queryset = Rating.objects.order_by("value", "order")
    pagination_class = None
    filter_backends = []


EXPORT_COLUMNS = [
    "review",
    "state",
    "claim",
    "speaker",
    "outlet",
    "document_url",
    "rating",
    "summary",
    "submitted_by",
    "approved_by",
    "published_at",
    "public_url",
]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Text a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


class VerdictExportView(APIView):
    """Editors: the verdicts (submitted, approved, published) as CSV."""

    permission_classes = [IsEditor]

    @extend_schema(responses={200: OpenApiResponse(description="text/csv")})
    def get(self, request: Request) -> StreamingHttpResponse:
        writer = csv.writer(_Echo())

        def rows() -> Iterator[str]:
            yield writer.writerow(EXPORT_COLUMNS)
            for row in selectors.verdict_export_rows():
                yield writer.writerow([spreadsheet_safe(value) for value in row])

        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="factdesk-verdicts-{stamp}.csv"'
        return response
