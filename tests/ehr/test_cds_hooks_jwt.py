"""CDS Hooks authentication as the specification has it: the EHR signs a JWT with a key from
its own JWKS, which this service fetches from the URL CDS_HOOKS_ISSUERS gives.

A real JWKS server runs on a loopback port, and an "EHR" signs with its private key (ES384 and
RS384, the algorithms the specification names). Each refusal is a 401 problem+json that names
what failed.
"""

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from tests.ehr.fhir import ICD, bundle, coding, condition, hook_request
from tests.problems import assert_problem
from tests.publishing_helpers import api_key, key_header

SERVICE = "/cds-services/patient-education"
DISCOVERY = "/cds-services"
EHR = "https://ehr.hospital.example"

pytestmark = pytest.mark.django_db


class Ehr:
    """An EHR with an EC P-384 and an RSA key, both published in its JWKS."""

    def __init__(self) -> None:
        self.ec_key = ec.generate_private_key(ec.SECP384R1())
        self.rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwks_requests = 0

    def jwks(self) -> dict[str, Any]:
        ec_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.ec_key.public_key()))
        rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.rsa_key.public_key()))
        return {
            "keys": [
                {**ec_jwk, "kid": "ec-1", "alg": "ES384", "use": "sig"},
                {**rsa_jwk, "kid": "rsa-1", "alg": "RS384", "use": "sig"},
            ]
        }

    def token(
        self,
        *,
        audience: str | None = None,
        algorithm: str = "ES384",
        key: Any = None,
        kid: str | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {
            "iss": EHR,
            "sub": "ehr-client",
            "aud": audience or f"{django_settings.PUBLIC_BASE_URL}{SERVICE}",
            "exp": now + 300,
            "iat": now,
            "jti": str(uuid.uuid4()),
            **claims,
        }
        payload = {name: value for name, value in payload.items() if value is not None}
        signing_key = key or (self.ec_key if algorithm.startswith("ES") else self.rsa_key)
        return jwt.encode(
            payload,
            signing_key,
            algorithm=algorithm,
            headers={"kid": kid or ("ec-1" if algorithm.startswith("ES") else "rsa-1")},
        )


@pytest.fixture
def ehr(settings: Any) -> Iterator[Ehr]:
    """The EHR, its JWKS served on a loopback port, and CDS_HOOKS_ISSUERS naming it."""
    ehr = Ehr()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            ehr.jwks_requests += 1
            body = json.dumps(ehr.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CDS_HOOKS_ISSUERS = {
        EHR: f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    }
    try:
        yield ehr
    finally:
        server.shutdown()
        server.server_close()


def call(token: str, path: str = SERVICE) -> Any:
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    if path == DISCOVERY:
        return client.get(path)
    body = hook_request(bundle(condition("dm", coding(ICD, "E11.9", "Diabetes"))))
    return client.post(path, json.dumps(body), content_type="application/json")


def refused(response: Any, reason: str) -> None:
    body = assert_problem(response, 401)
    assert body["code"] == "authentication-failed"
    assert body["detail"].startswith("The CDS Hooks JWT is refused: ")
    assert reason in body["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="cds-hooks"'


@pytest.mark.parametrize("algorithm", ["ES384", "RS384"])
def test_a_token_signed_with_a_key_of_the_issuers_jwks_is_accepted(ehr, algorithm):
    answered = call(ehr.token(algorithm=algorithm))

    assert answered.status_code == 200, answered.content
    assert answered.json() == {"cards": []}


def test_discovery_takes_a_token_meant_for_the_discovery_url(ehr):
    token = ehr.token(audience=f"{django_settings.PUBLIC_BASE_URL}{DISCOVERY}")

    assert call(token, DISCOVERY).status_code == 200


def test_the_jwks_is_fetched_once_and_kept(ehr):
    for _ in range(3):
        assert call(ehr.token()).status_code == 200

    assert ehr.jwks_requests == 1


def test_a_token_signed_with_another_key_is_refused(ehr):
    impostor = ec.generate_private_key(ec.SECP384R1())

    refused(call(ehr.token(key=impostor)), "signature does not verify")


def test_a_token_for_another_audience_is_refused(ehr):
    token = ehr.token(audience="https://other-service.example/cds-services/patient-education")

    refused(call(token), "audience (aud) is not this service")


def test_an_expired_token_is_refused(ehr):
    long_ago = int(time.time()) - 3600

    refused(call(ehr.token(iat=long_ago, exp=long_ago + 300)), "expired")


def test_a_token_issued_in_the_future_is_refused(ehr):
    refused(call(ehr.token(iat=int(time.time()) + 600, exp=int(time.time()) + 900)), "future")


def test_a_replayed_token_is_refused(ehr):
    token = ehr.token()

    first, again = call(token), call(token)

    assert first.status_code == 200
    refused(again, "was used before")


def test_a_token_without_a_jti_is_refused(ehr):
    refused(call(ehr.token(jti=None)), "no jti claim")


def test_a_token_from_an_issuer_not_trusted_is_refused(ehr):
    refused(call(ehr.token(iss="https://stranger.example")), "not one CDS_HOOKS_ISSUERS trusts")


def test_a_token_signed_with_a_shared_secret_is_refused(ehr):
    token = jwt.encode(
        {"iss": EHR, "aud": "x", "exp": int(time.time()) + 60, "jti": "1"},
        "a-shared-secret-of-enough-length-for-hs256",
        algorithm="HS256",
    )

    refused(call(token), "CDS Hooks uses ES384 or RS384")


def test_a_kid_the_jwks_does_not_have_is_refused(ehr):
    refused(call(ehr.token(kid="rotated-away")), "has the token's kid 'rotated-away'")


def test_without_issuers_configured_a_bearer_token_opens_nothing(settings):
    settings.CDS_HOOKS_ISSUERS = {}

    body = assert_problem(call("a.b.c"), 401)

    assert body["code"] == "not-authenticated"  # a key is needed, as for any other caller


def test_an_api_key_keeps_working_beside_jwts(ehr):
    headers = key_header(api_key("delivery"))
    body = hook_request(bundle(condition("dm", coding(ICD, "E11.9", "Diabetes"))))

    answered = APIClient().post(
        SERVICE, json.dumps(body), content_type="application/json", **headers
    )

    assert answered.status_code == 200
