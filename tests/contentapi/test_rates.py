"""Request rates as settings and `create_api_key --rate` write them: a whole number of at
least one request, a slash and a unit of time."""

import io

import pytest
from django.core.management import CommandError, call_command

from contentapi.models import IntegratorKey
from contentapi.rates import Rate

NOT_RATES = ["0/min", "-1/min", "1/fortnight", "abc"]


@pytest.mark.parametrize(
    ("text", "rate"),
    [("6000/min", Rate(6000, 60)), ("10/s", Rate(10, 1)), (" 1/day ", Rate(1, 86400))],
)
def test_a_rate_is_so_many_requests_per_unit_of_time(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", NOT_RATES)
def test_what_is_not_a_rate_is_refused(text):
    with pytest.raises(ValueError, match=f"^'{text}' is not a rate: write a whole number"):
        Rate.parse(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", NOT_RATES)
def test_an_api_key_is_not_created_with_what_is_not_a_rate(text):
    with pytest.raises(CommandError, match=f"^'{text}' is not a rate"):
        call_command(
            "create_api_key", "portal", f"--rate={text}", stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert IntegratorKey.objects.count() == 0
