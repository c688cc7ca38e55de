"""The OpenAPI document integrators build against is committed; changes to it are deliberate."""

from pathlib import Path

from django.core.management import call_command

GOLDEN = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_the_generated_schema_matches_the_committed_one(tmp_path, db):
    generated = tmp_path / "openapi.yaml"

    call_command("spectacular", "--file", str(generated))

    assert generated.read_text() == GOLDEN.read_text(), (
        "The API's OpenAPI document changed. If that is intended, run `make schema` and "
        "commit docs/openapi.yaml so integrators see the change in review."
    )
