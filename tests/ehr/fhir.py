"""FHIR R4 resources and CDS Hooks calls as an EHR sends them, for the EHR tests."""

from typing import Any

ICD = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
BCP_47 = "urn:ietf:bcp:47"


def coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def condition(
    ident: str,
    *codings: dict[str, str],
    clinical: str = "active",
    verification: str = "confirmed",
) -> dict[str, Any]:
    """A Condition resource as an R4 EHR returns it from a search."""
    return {
        "fullUrl": f"https://fhir.hospital.example/r4/Condition/{ident}",
        "resource": {
            "resourceType": "Condition",
            "id": ident,
            "meta": {"versionId": "3", "lastUpdated": "2030-01-01T08:00:00Z"},
            "clinicalStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        "code": clinical,
                    }
                ]
            },
            "verificationStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                        "code": verification,
                    }
                ]
            },
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                            "code": "problem-list-item",
                            "display": "Problem List Item",
                        }
                    ]
                }
            ],
            "code": {
                "coding": list(codings),
                "text": codings[0]["display"] if codings else "Unknown",
            },
            "subject": {"reference": "Patient/erXuFYUfucBZaryVksYEcMg3", "display": "Doe, Jane"},
            "onsetDateTime": "2019-04-01",
            "recordedDate": "2019-04-02T10:15:00Z",
        },
        "search": {"mode": "match"},
    }


def bundle(*entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "id": "9d1e7f0a-4a53-4d6b-8f0c-2f8b9a7a1c11",
        "type": "searchset",
        "total": len(entries),
        "link": [
            {
                "relation": "self",
                "url": "https://fhir.hospital.example/r4/Condition?patient=erXuFYUfucBZaryVksYEcMg3"
                "&clinical-status=active",
            }
        ],
        "entry": list(entries),
    }


def language(
    code: str | None,
    *,
    preferred: bool | None = None,
    system: str | None = BCP_47,
    text: str | None = None,
) -> dict[str, Any]:
    """A `Patient.communication` entry: its language as a BCP 47 coding (`code`), or text."""
    concept: dict[str, Any] = {}
    if code is not None:
        coding = {"code": code, "display": code}
        concept["coding"] = [{"system": system, **coding} if system else coding]
    if text is not None:
        concept["text"] = text
    entry: dict[str, Any] = {"language": concept}
    if preferred is not None:
        entry["preferred"] = preferred
    return entry


def patient(*communication: dict[str, Any]) -> dict[str, Any]:
    """The Patient resource an R4 EHR returns for `Patient/{{context.patientId}}`."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": "erXuFYUfucBZaryVksYEcMg3",
        "meta": {"versionId": "7", "lastUpdated": "2030-01-01T08:00:00Z"},
        "identifier": [
            {
                "use": "usual",
                "system": "urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.14",
                "value": "E1234",
            }
        ],
        "active": True,
        "name": [{"use": "official", "family": "Doe", "given": ["Jane"]}],
        "gender": "female",
        "birthDate": "1973-05-01",
    }
    if communication:
        resource["communication"] = list(communication)
    return resource


def hook_request(
    conditions: dict[str, Any] | None = None,
    *,
    patient_prefetch: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": "https://fhir.hospital.example/r4",
        "hook": "patient-view",
        "fhirAuthorization": {
            "access_token": "some-opaque-fhir-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read user/Condition.read",
            "subject": "cds-service",
        },
        "context": {"userId": "Practitioner/example", "patientId": "erXuFYUfucBZaryVksYEcMg3"},
    }
    prefetch = {"conditions": conditions, "patient": patient_prefetch}
    if any(value is not None for value in prefetch.values()):
        request["prefetch"] = {k: value for k, value in prefetch.items() if value is not None}
    return {**request, **fields}
