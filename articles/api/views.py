"""Management API views: check who, parse input, call one domain function, serialize."""

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from articles import diffs, selectors, services, workflow
from articles.api import serializers as shapes
from articles.content import RevisionContent
from articles.models import Article, ArticleStatus, Revision, Topic
from contentapi import schema
from contentapi.conditional import if_match_etags, if_none_match_hits
from contentapi.converters import INT_MAX
from contentapi.errors import PreconditionFailed
from contentapi.fields import StrictCharField
from contentapi.inputs import validated


class ManagedArticleQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ArticleStatus.choices, required=False)
    review_overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: live articles past `next_review_due`; false: all others.",
    )
    q = StrictCharField(required=False, max_length=200, help_text="Text in the slug or title.")


def _version_from_if_match(request: Request, revision: Revision) -> int | None:
    """The revision version the client edited, from If-Match (None for `*`: any version)."""
    etags = if_match_etags(request)
    if etags == ["*"]:
        return None
    version = revision.version_in(etags)
    if version is None:
        raise PreconditionFailed(
            "If-Match names no version of this revision: fetch it again and reapply your edit."
        )
    return version


def _with_etag(response: Response, etag: str) -> Response:
    response["ETag"] = etag
    return response


class ArticleFromUrlMixin:
    """Finds the article (and revision) named in the URL."""

    kwargs: dict[str, Any]

    def get_article(self) -> Article:
        return selectors.managed_article_get(self.kwargs["article_id"])

    def get_revision(self) -> Revision:
        return selectors.revision_get(self.kwargs["article_id"], self.kwargs["number"])


class ManagedArticleListCreate(generics.ListCreateAPIView):
    serializer_class = shapes.ManagedArticleSerializer
    queryset = Article.objects.none()

    def get_queryset(self) -> Any:
        filters = validated(ManagedArticleQuerySerializer, self.request.query_params)
        return selectors.managed_article_list(**filters)

    @extend_schema(
        summary="List articles (any status)",
        parameters=[ManagedArticleQuerySerializer],
        responses={
            200: shapes.ManagedArticleSerializer(many=True),
            400: schema.BAD_REQUEST,
            **schema.STAFF_ERRORS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Create an article with its first revision (a draft)",
        request=shapes.ArticleCreateSerializer,
        responses={201: shapes.ManagedArticleSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(shapes.ArticleCreateSerializer, request.data)
        article = services.article_create(
            actor=request.user,
            slug=data.pop("slug"),
            locale=data.pop("locale"),
            review_interval_days=data.pop("review_interval_days", None),
            translation_of=data.pop("translation_of", None),
            machine_translated=data.pop("machine_translated", False),
            content=RevisionContent.from_input(data),
        )
        article = selectors.managed_article_get(article.pk)
        body = shapes.ManagedArticleSerializer(article, context={"request": request}).data
        location = reverse("manage-article-detail", args=[article.pk], request=request)
        response = Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})
        return _with_etag(response, article.etag)


class ManagedArticleDetail(ArticleFromUrlMixin, generics.GenericAPIView):
    serializer_class = shapes.ManagedArticleSerializer
    queryset = Article.objects.none()

    @extend_schema(
        summary="One article, with an ETag",
        responses={
            200: shapes.ManagedArticleSerializer,
            304: None,
            404: schema.NOT_FOUND,
            **schema.STAFF_ERRORS,
        },
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = self.get_article()
        if if_none_match_hits(request, article.etag):
            return _with_etag(Response(status=status.HTTP_304_NOT_MODIFIED), article.etag)
        return _with_etag(Response(self.get_serializer(article).data), article.etag)


class RevisionListCreate(ArticleFromUrlMixin, generics.ListCreateAPIView):
    serializer_class = shapes.RevisionSummarySerializer
    queryset = Revision.objects.none()

    def get_queryset(self) -> Any:
        return selectors.revision_list(self.get_article())

    @extend_schema(
        summary="The article's revisions, newest first",
        responses={
            200: shapes.RevisionSummarySerializer(many=True),
            404: schema.NOT_FOUND,
            **schema.STAFF_ERRORS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Write a new draft revision",
        description="Fields left out are carried over from `base_revision`, which must be the "
        "latest revision's number; otherwise 409 and nothing is saved.",
        request=shapes.RevisionCreateSerializer,
        responses={
            201: shapes.RevisionDetailSerializer,
            **schema.WRITE_ERRORS,
            404: schema.NOT_FOUND,
            409: schema.CONFLICT,
        },
    )
    def post(self, request: Request, article_id: int) -> Response:
        article = self.get_article()
        data = validated(shapes.RevisionCreateSerializer, request.data)
        revision = services.revision_create(
            actor=request.user,
            article=article,
            base_revision=data.pop("base_revision"),
            changes=data,
        )
        revision = selectors.revision_get(article.pk, revision.number)
        location = reverse(
            "manage-revision-detail", args=[article.pk, revision.number], request=request
        )
        response = Response(
            shapes.RevisionDetailSerializer(revision).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )
        return _with_etag(response, revision.etag)


class RevisionDetail(ArticleFromUrlMixin, generics.GenericAPIView):
    serializer_class = shapes.RevisionDetailSerializer
    queryset = Revision.objects.none()

    @extend_schema(
        summary="One revision with its content and reviews",
        responses={
            200: shapes.RevisionDetailSerializer,
            304: None,
            404: schema.NOT_FOUND,
            **schema.STAFF_ERRORS,
        },
    )
    def get(self, request: Request, article_id: int, number: int) -> Response:
        revision = self.get_revision()
        if if_none_match_hits(request, revision.etag):
            return _with_etag(Response(status=status.HTTP_304_NOT_MODIFIED), revision.etag)
        return _with_etag(Response(self.get_serializer(revision).data), revision.etag)

    @extend_schema(
        summary="Edit a draft in place (its author only)",
        parameters=[
            OpenApiParameter(
                "If-Match",
                location=OpenApiParameter.HEADER,
                required=True,
                description="The revision's ETag from GET.",
            )
        ],
        request=shapes.RevisionPatchSerializer,
        responses={
            200: shapes.RevisionDetailSerializer,
            **schema.WRITE_ERRORS,
            404: schema.NOT_FOUND,
            409: schema.CONFLICT,
            412: schema.PRECONDITION_FAILED,
            428: schema.PRECONDITION_REQUIRED,
        },
    )
    def patch(self, request: Request, article_id: int, number: int) -> Response:
        revision = self.get_revision()
        expected_version = _version_from_if_match(request, revision)
        changes = validated(shapes.RevisionPatchSerializer, request.data)
        revision = services.revision_edit(
            actor=request.user,
            revision=revision,
            expected_version=expected_version,
            changes=changes,
        )
        revision = selectors.revision_get(article_id, number)
        return _with_etag(Response(self.get_serializer(revision).data), revision.etag)


def action_view(
    action: Callable[..., Any],
    input_serializer: type[serializers.Serializer],
    summary: str,
    *,
    on_revision: bool = True,
    description: str = "",
) -> type[generics.GenericAPIView]:
    """A view that runs one workflow function on the revision (or article) in the URL.

    The request body is parsed by `input_serializer` and passed as keyword arguments; the
    response is the revision (or article) after the change, with its new ETag.
    """
    output = shapes.RevisionDetailSerializer if on_revision else shapes.ManagedArticleSerializer

    class ActionView(ArticleFromUrlMixin, generics.GenericAPIView):
        serializer_class = output
        queryset = Revision.objects.none()

        @extend_schema(
            summary=summary,
            description=description,
            request=input_serializer,
            responses={
                200: output,
                **schema.WRITE_ERRORS,
                404: schema.NOT_FOUND,
                409: schema.CONFLICT,
            },
        )
        def post(self, request: Request, **url: int) -> Response:
            subject = self.get_revision() if on_revision else self.get_article()
            subject_name = "revision" if on_revision else "article"
            data = validated(input_serializer, request.data)
            action(actor=request.user, **{subject_name: subject}, **data)
            changed = self.get_revision() if on_revision else self.get_article()
            return _with_etag(Response(self.get_serializer(changed).data), changed.etag)

    name = "".join(part.title() for part in action.__name__.split("_")) + "View"
    ActionView.__name__ = ActionView.__qualname__ = name
    return ActionView


RevisionSubmit = action_view(
    workflow.revision_submit, shapes.TransitionSerializer, "Submit a draft for clinical review"
)
RevisionApprove = action_view(
    workflow.revision_approve,
    shapes.TransitionSerializer,
    "Approve a revision (a reviewer who wrote none of it)",
    description="Only a reviewer who is none of the revision's `contributors` may approve it: "
    "the authors of this revision and of every revision it was based on, back to (not "
    "including) the nearest ancestor a reviewer approved. Copying a colleague's revision "
    "unchanged does not make its words yours. A contributor gets 403 saying which revisions "
    "they wrote, admins included; they may still request changes. The `approved` audit event "
    "records the contributors.",
)
RevisionRequestChanges = action_view(
    workflow.revision_request_changes,
    shapes.RequestChangesSerializer,
    "Send a revision back to its editor with a comment",
)
RevisionPublish = action_view(
    workflow.revision_publish,
    shapes.PublishSerializer,
    "Publish an approved revision now, or schedule it with `publish_at`",
    description="Without `publish_at` the revision goes live at once and the previous live "
    "revision is superseded. With a future `publish_at` it becomes `scheduled` and goes live "
    "then with nobody acting (a past `publish_at` is refused with 400).",
)
RevisionCancelSchedule = action_view(
    workflow.revision_unschedule,
    shapes.TransitionSerializer,
    "Cancel a scheduled revision's publication (it is approved again)",
    description="A publisher takes a `scheduled` revision back to `approved`: it does not go "
    "live at its `publish_at`, which is cleared, until someone publishes or schedules it "
    "again. The `schedule_cancelled` audit event records when it was to go live. A revision "
    "that is not `scheduled` gets 409.",
)
ArticleUnpublish = action_view(
    workflow.article_unpublish,
    shapes.UnpublishSerializer,
    "Take the article off the delivery API at once",
    on_revision=False,
)
ArticleCertifyReview = action_view(
    workflow.article_certify_review,
    shapes.TransitionSerializer,
    "Re-certify the live revision without changes (last_reviewed_at becomes now)",
    on_revision=False,
)


class RevisionNotes(ArticleFromUrlMixin, generics.ListCreateAPIView):
    serializer_class = shapes.NoteSerializer
    queryset = Revision.objects.none()

    def get_queryset(self) -> Any:
        return selectors.revision_notes(self.get_revision())

    @extend_schema(summary="Internal notes on a revision, oldest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Add an internal note (never shown to readers)",
        request=shapes.NoteInputSerializer,
        responses={201: shapes.NoteSerializer, **schema.WRITE_ERRORS, 404: schema.NOT_FOUND},
    )
    def post(self, request: Request, article_id: int, number: int) -> Response:
        revision = self.get_revision()
        data = validated(shapes.NoteInputSerializer, request.data)
        note = services.note_create(
            actor=request.user,
            revision=revision,
            body=data["body"],
            reply_to=data.get("reply_to"),
            quote=data.get("quote", ""),
        )
        return Response(shapes.NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class DiffQuerySerializer(serializers.Serializer):
    against = serializers.IntegerField(
        min_value=1, max_value=INT_MAX, help_text="The revision number to compare against."
    )


class RevisionDiff(ArticleFromUrlMixin, generics.GenericAPIView):
    serializer_class = shapes.RevisionDiffSerializer
    queryset = Revision.objects.none()

    @extend_schema(
        summary="What changed between revision `against` and this one",
        parameters=[DiffQuerySerializer],
        responses={
            200: shapes.RevisionDiffSerializer,
            400: schema.BAD_REQUEST,
            404: schema.NOT_FOUND,
            **schema.STAFF_ERRORS,
        },
    )
    def get(self, request: Request, article_id: int, number: int) -> Response:
        against = validated(DiffQuerySerializer, request.query_params)["against"]
        revision = self.get_revision()
        base = selectors.revision_get(article_id, against)
        return Response(diffs.revision_diff(base, revision))


class ArticleHistory(ArticleFromUrlMixin, generics.ListAPIView):
    serializer_class = shapes.AuditEventSerializer
    queryset = Article.objects.none()

    def get_queryset(self) -> Any:
        return selectors.article_history(self.get_article())

    @extend_schema(summary="The article's audit events, oldest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class TopicListCreate(generics.ListCreateAPIView):
    serializer_class = shapes.TopicSerializer
    queryset = Topic.objects.select_related("parent").order_by("slug")

    @extend_schema(summary="All topics")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Create a topic (editor or admin)",
        request=shapes.TopicInputSerializer,
        responses={201: shapes.TopicSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = validated(shapes.TopicInputSerializer, request.data)
        topic = services.topic_create(actor=request.user, **data)
        location = reverse("manage-topic-detail", args=[topic.slug], request=request)
        return Response(
            shapes.TopicSerializer(topic).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class TopicDetail(generics.GenericAPIView):
    serializer_class = shapes.TopicSerializer
    queryset = Topic.objects.select_related("parent")
    lookup_field = "slug"

    @extend_schema(
        summary="One topic", responses={200: shapes.TopicSerializer, 404: schema.NOT_FOUND}
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Rename a topic or move it (editor or admin)",
        description="Live articles show their topics' names, so renaming a topic that live "
        "articles name changes what readers see: only a publisher or an admin may, and each "
        "of those articles is re-rendered with an `updated` change event. Every rename writes "
        "an audit event with the old and the new name.",
        request=shapes.TopicPatchSerializer,
        responses={200: shapes.TopicSerializer, **schema.WRITE_ERRORS, 404: schema.NOT_FOUND},
    )
    def patch(self, request: Request, slug: str) -> Response:
        changes = validated(shapes.TopicPatchSerializer, request.data)
        topic = services.topic_update(actor=request.user, topic=self.get_object(), changes=changes)
        return Response(self.get_serializer(topic).data)
