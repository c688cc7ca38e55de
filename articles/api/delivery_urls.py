"""URLs of the delivery API under /api/v1/."""

from django.urls import path

from articles.api import delivery, ehr
from contentapi import converters  # noqa: F401  (registers <id:> and <number:>)

urlpatterns = [
    path("articles/", delivery.LiveArticleList.as_view(), name="live-article-list"),
    path("articles/<slug:slug>/", delivery.LiveArticleDetail.as_view(), name="live-article-detail"),
    path("topics/", delivery.LiveTopicList.as_view(), name="live-topic-list"),
    path("changes/", delivery.ChangeFeed.as_view(), name="change-feed"),
    path("infobutton/", ehr.Infobutton.as_view(), name="infobutton"),
    path(
        "preview/articles/<id:article_id>/revisions/<number:number>/",
        delivery.RevisionPreview.as_view(),
        name="revision-preview",
    ),
]
