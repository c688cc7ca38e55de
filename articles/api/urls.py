"""URLs of the management API under /api/v1/manage/."""

from django.urls import path

from articles.api import views
from contentapi import converters  # noqa: F401  (registers <id:> and <number:>)

revision = "articles/<id:article_id>/revisions/<number:number>/"

urlpatterns = [
    path("articles/", views.ManagedArticleListCreate.as_view(), name="manage-article-list"),
    path(
        "articles/<id:article_id>/",
        views.ManagedArticleDetail.as_view(),
        name="manage-article-detail",
    ),
    path(
        "articles/<id:article_id>/history/",
        views.ArticleHistory.as_view(),
        name="manage-article-history",
    ),
    path(
        "articles/<id:article_id>/revisions/",
        views.RevisionListCreate.as_view(),
        name="manage-revision-list",
    ),
    path(revision, views.RevisionDetail.as_view(), name="manage-revision-detail"),
    path(revision + "submit/", views.RevisionSubmit.as_view(), name="manage-revision-submit"),
    path(revision + "approve/", views.RevisionApprove.as_view(), name="manage-revision-approve"),
    path(
        revision + "request-changes/",
        views.RevisionRequestChanges.as_view(),
        name="manage-revision-request-changes",
    ),
    path(revision + "publish/", views.RevisionPublish.as_view(), name="manage-revision-publish"),
    path(
        revision + "cancel-schedule/",
        views.RevisionCancelSchedule.as_view(),
        name="manage-revision-cancel-schedule",
    ),
    path(
        "articles/<id:article_id>/unpublish/",
        views.ArticleUnpublish.as_view(),
        name="manage-article-unpublish",
    ),
    path(
        "articles/<id:article_id>/certify-review/",
        views.ArticleCertifyReview.as_view(),
        name="manage-article-certify-review",
    ),
    path(revision + "notes/", views.RevisionNotes.as_view(), name="manage-revision-notes"),
    path(revision + "diff/", views.RevisionDiff.as_view(), name="manage-revision-diff"),
    path("topics/", views.TopicListCreate.as_view(), name="manage-topic-list"),
    path("topics/<slug:slug>/", views.TopicDetail.as_view(), name="manage-topic-detail"),
]
