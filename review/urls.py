"""The staff pages under /review/: sign in; the reviewers' queue, a revision, an article's
history; the editors' and the publishers' pages; your profile."""

from django.urls import path

from contentapi import converters  # noqa: F401  (registers <id:> and <number:>)
from review import editor_views, publisher_views, views

app_name = "review"

REVISION = "articles/<id:article_id>/revisions/<number:number>/"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path(REVISION, views.revision, name="revision"),
    path(f"{REVISION}approve/", views.approve, name="approve"),
    path(f"{REVISION}request-changes/", views.request_changes, name="request-changes"),
    path(f"{REVISION}notes/", views.note_add, name="note-add"),
    path("articles/<id:article_id>/certify/", views.certify, name="certify"),
    path("articles/<id:article_id>/history/", views.history, name="history"),
    path("profile/", views.profile, name="profile"),
    path("write/", editor_views.editor, name="editor"),
    path("write/new/", editor_views.article_new, name="article-new"),
    path("write/codes/", editor_views.code_lookup, name="code-lookup"),
    path(
        "write/articles/<id:article_id>/revisions/<number:number>/",
        editor_views.draft,
        name="draft",
    ),
    path(
        "write/articles/<id:article_id>/start/", editor_views.revision_start, name="revision-start"
    ),
    path("publish/", publisher_views.publisher, name="publisher"),
    path(f"publish/{REVISION}publish/", publisher_views.publish_now, name="publish-now"),
    path(f"publish/{REVISION}schedule/", publisher_views.schedule, name="schedule"),
    path(
        f"publish/{REVISION}cancel-schedule/",
        publisher_views.cancel_schedule,
        name="cancel-schedule",
    ),
    path(
        "publish/articles/<id:article_id>/take-down/", publisher_views.take_down, name="take-down"
    ),
]
