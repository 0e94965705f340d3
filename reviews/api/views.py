import csv
from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from claims.models import Claim
from reviews import claimreview, selectors, services
from reviews.api.serializers import (
    AssignSerializer,
    BoostSerializer,
    DismissSerializer,
    PromoteSerializer,
    QueueFilterSerializer,
    QueueItemSerializer,
    RatingSerializer,
    ReturnSerializer,
    ReviewSerializer,
    SubmitSerializer,
    VersionSerializer,
)
from reviews.errors import (
    InvalidTransition,
    PermissionDenied,
    ReviewError,
    StaleVersion,
    ValidationFailed,
)
from reviews.models import Rating, Review

ERROR_STATUS = [
    (PermissionDenied, status.HTTP_403_FORBIDDEN),
    (InvalidTransition, status.HTTP_409_CONFLICT),
    (StaleVersion, status.HTTP_409_CONFLICT),
    (ValidationFailed, status.HTTP_400_BAD_REQUEST),
]


def review_error_response(error: ReviewError) -> Response:
    code = next(code for kind, code in ERROR_STATUS if isinstance(error, kind))
    return Response({"error": error.code, "detail": error.message}, status=code)


class IsDeskMember(permissions.BasePermission):
    message = "Only reviewers and editors work the review desk."

    def has_permission(self, request: Request, view) -> bool:
        return selectors.user_is_reviewer(request.user)


class IsEditor(permissions.BasePermission):
    message = "Only editors can do this."

    def has_permission(self, request: Request, view) -> bool:
        return selectors.user_is_editor(request.user)


MAX_PAGE = 1_000_000


class PageWithoutCount(BasePagination):
    """Page-number pagination that never counts the table: one query per page, whatever its size."""

    page_size = 50
    max_page_size = 200

    def paginate_queryset(self, queryset, request: Request, view=None) -> list:
        self.request = request
        self.page = self._positive_int(request, "page", 1)
        self.size = min(
            self._positive_int(request, "page_size", self.page_size), self.max_page_size
        )
        start = (self.page - 1) * self.size
        rows = list(queryset[start : start + self.size + 1])
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    def get_paginated_response(self, data) -> Response:
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(url, "page", self.page + 1) if self.has_next else None
        previous_url = None
        if self.page == 2:
            previous_url = remove_query_param(url, "page")
        elif self.page > 2:
            previous_url = replace_query_param(url, "page", self.page - 1)
        return Response(
            {
                "page": self.page,
                "page_size": self.size,
                "next": next_url,
                "previous": previous_url,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "properties": {
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "next": {"type": "string", "nullable": True},
                "previous": {"type": "string", "nullable": True},
                "results": schema,
            },
        }

    @staticmethod
    def _positive_int(request: Request, name: str, default: int) -> int:
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ValidationError({name: ["Must be a positive whole number."]})
        if value > MAX_PAGE:
            # An offset past the database's integer range was a 500; no desk has this many pages.
            raise ValidationError({name: [f"Must be at most {MAX_PAGE:,}."]})
        return value


class QueueView(generics.ListAPIView):
    """The desk's queue, highest priority first (queued items unless state/assignee/mine say otherwise)."""

    permission_classes = [IsDeskMember]
    serializer_class = QueueItemSerializer
    pagination_class = PageWithoutCount
    filter_backends = []

    @extend_schema(parameters=[QueueFilterSerializer])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = QueueFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        chosen = filters.validated_data
        return selectors.review_queue(
            user=self.request.user,
            state=chosen.get("state"),
            assignee_id=chosen.get("assignee"),
            mine=chosen["mine"],
            outlet=chosen.get("outlet"),
            claim_type=chosen.get("type"),
            min_score=chosen.get("min_score"),
        )


def _respond_with_review(run: Callable[[], Review], *, created: bool = False) -> Response:
    try:
        review = run()
    except ReviewError as error:
        return review_error_response(error)
    except Review.DoesNotExist as error:
        raise Http404("No such review.") from error
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
        try:
            review = services.review_claim_next(actor=request.user)
        except ReviewError as error:
            return review_error_response(error)
        if review is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ReviewSerializer(selectors.review_get(review_id=review.pk)).data)


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

    @extend_schema(request=AssignSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        data = _valid(AssignSerializer, request)
        assignee = None
        if data["assignee"] is not None:
            assignee = get_user_model().objects.filter(pk=data["assignee"]).first()
            if assignee is None:
                raise ValidationError({"assignee": [f"There is no user {data['assignee']}."]})
        return _respond_with_review(
            lambda: services.review_assign(
                review_id=int(pk), actor=request.user, version=data["version"], assignee=assignee
            )
        )

    @extend_schema(request=VersionSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        data = _valid(VersionSerializer, request)
        return _respond_with_review(
            lambda: services.review_release(
                review_id=int(pk), actor=request.user, version=data["version"]
            )
        )

    @extend_schema(request=SubmitSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        data = _valid(SubmitSerializer, request)
        return _respond_with_review(
            lambda: services.review_submit(
                review_id=int(pk),
                actor=request.user,
                version=data["version"],
                rating_id=data["rating"],
                summary=data["summary"],
            )
        )

    @extend_schema(request=VersionSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        data = _valid(VersionSerializer, request)
        return _respond_with_review(
            lambda: services.review_approve(
                review_id=int(pk), actor=request.user, version=data["version"]
            )
        )

    @extend_schema(request=ReturnSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_reviewer(self, request: Request, pk: str) -> Response:
        data = _valid(ReturnSerializer, request)
        return _respond_with_review(
            lambda: services.review_return(
                review_id=int(pk),
                actor=request.user,
                version=data["version"],
                comment=data["comment"],
            )
        )

    @extend_schema(request=VersionSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        data = _valid(VersionSerializer, request)
        return _respond_with_review(
            lambda: services.review_publish(
                review_id=int(pk), actor=request.user, version=data["version"]
            )
        )

    @extend_schema(request=DismissSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        data = _valid(DismissSerializer, request)
        return _respond_with_review(
            lambda: services.review_dismiss(
                review_id=int(pk),
                actor=request.user,
                version=data["version"],
                reason=data["reason"],
            )
        )

    @extend_schema(request=BoostSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def boost(self, request: Request, pk: str) -> Response:
        data = _valid(BoostSerializer, request)
        return _respond_with_review(
            lambda: services.review_boost(
                review_id=int(pk), actor=request.user, version=data["version"], boost=data["boost"]
            )
        )

    @extend_schema(responses={200: OpenApiResponse(description="schema.org ClaimReview JSON-LD")})
    @action(detail=True, methods=["get"], permission_classes=[permissions.AllowAny])
    def claimreview(self, request: Request, pk: str) -> Response:
        """Public: the published verdict as ClaimReview; 404 until the review is published."""
        review = selectors.published_reviews().filter(pk=pk).first()
        if review is None:
            raise Http404("No published review with this id.")
        return Response(claimreview.claim_review_jsonld(review=review))


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
