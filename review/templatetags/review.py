"""Small presentation helpers for the review templates."""

from django import template

from articles.translations import language_label

register = template.Library()


@register.filter
def language(code: str) -> str:
    """'English (en)' for 'en'; the code itself for a language without a name here."""
    return language_label(code)
