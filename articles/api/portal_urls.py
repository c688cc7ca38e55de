"""URLs under /api/v1/ that portals and web teams call but the write side answers: the topic
vocabulary with live counts, and previews of any revision."""

from django.urls import path

from articles.api import portal
from contentapi import converters  # noqa: F401  (registers <id:> and <number:>)

urlpatterns = [
    path("topics/", portal.LiveTopicList.as_view(), name="live-topic-list"),
    path("articles/<slug:slug>/proof/", portal.ArticleProof.as_view(), name="article-proof"),
    path(
        "preview/articles/<id:article_id>/revisions/<number:number>/",
        portal.RevisionPreview.as_view(),
        name="revision-preview",
    ),
]
