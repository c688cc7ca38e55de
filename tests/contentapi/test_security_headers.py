"""Headers: HSTS and https behind a TLS proxy, a content security policy on HTML pages, no
framing, and CORS for the delivery API's reads only."""

import pytest
from django.test import Client

ORIGIN = "https://portal.hospital.example"


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_documentation_pages_have_a_policy_without_inline_scripts(page):
    response = Client().get(page)

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()  # every script is a file


def test_swagger_uis_start_up_script_is_served_as_a_file():
    response = Client().get("/api/docs/", {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_json_answers_cannot_be_framed_either(db):
    assert Client().get("/healthz")["X-Frame-Options"] == "DENY"


def test_behind_a_tls_proxy_plain_http_is_redirected_and_https_gets_hsts(settings, db):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000

    plain = Client().get("/api/v1/articles/", HTTP_X_FORWARDED_PROTO="http")
    secure = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    probe = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="http")

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert probe.status_code == 200  # load balancers probe on the inside


def test_cors_allows_reading_the_delivery_api(settings, db):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    preflight = Client().options(
        "/api/v1/articles/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )

    assert preflight["Access-Control-Allow-Origin"] == ORIGIN
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    "path", ["/api/v1/manage/articles/", "/api/v1/preview/articles/1/revisions/1/"]
)
def test_cors_never_opens_the_management_api_or_previews(settings, db, path):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    preflight = Client().options(
        path, HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )

    assert "Access-Control-Allow-Origin" not in preflight
