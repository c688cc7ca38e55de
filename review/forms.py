"""The review pages' forms: what a browser posts, checked as the API checks the same fields."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Wrong username or password.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class DecisionForm(forms.Form):
    """Approve, request changes or re-certify: the comment the workflow records.

    Whether a comment is required is the workflow's rule (request changes needs one), so
    the form requires none and the workflow's own message answers a missing one, as the
    API's does.
    """

    comment = forms.CharField(required=False, max_length=5_000)


class NoteForm(forms.Form):
    body = forms.CharField(max_length=10_000)
    quote = forms.CharField(max_length=1000, required=False)
    reply_to = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
