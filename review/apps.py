"""The clinicians' review pages under /review/: server-rendered, signed in with a session.

Owns the pages, their forms and what they compose for a reviewer (the queue, a revision as
patients will see it with what changed, the history). Every change goes through the write
side's own functions (`articles.workflow`, `articles.services` for notes).

May import: `articles`, `delivery` and `contentapi`. Nothing imports it.
"""

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review pages"
