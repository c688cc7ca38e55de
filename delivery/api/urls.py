"""URLs of the delivery API under /api/v1/: the live articles and the changes feed."""

from django.urls import path

from delivery.api import views

urlpatterns = [
    path("articles/", views.LiveArticleList.as_view(), name="live-article-list"),
    path("articles/<slug:slug>/", views.LiveArticleDetail.as_view(), name="live-article-detail"),
    path("changes/", views.ChangeFeed.as_view(), name="change-feed"),
]
