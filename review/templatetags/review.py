"""Small presentation helpers for the review templates."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def language(code: str) -> str:
    """'English (en)' for 'en'; the code itself for a language without a name here."""
    name = dict(settings.LANGUAGES).get(code.split("-")[0])
    return f"{name} ({code})" if name else code
