"""Medical codes as the library stores and looks them up: the systems, their shapes, and the
one normal form that makes an EHR's code and an editor's code the same string."""

import re

from django.db import models


class CodeSystem(models.TextChoices):
    ICD10CM = "icd10cm", "ICD-10-CM"
    SNOMEDCT = "snomedct", "SNOMED CT"
    LOINC = "loinc", "LOINC"


# Shapes of the codes we accept, after normalisation (upper case, no spaces).
CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    CodeSystem.ICD10CM: re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"),
    CodeSystem.SNOMEDCT: re.compile(r"^[1-9][0-9]{5,17}$"),
    CodeSystem.LOINC: re.compile(r"^[0-9]{1,7}-[0-9]$"),
}


def normalize_code(system: str, code: str) -> str:
    """Canonical form of a code: trimmed, upper case; ICD-10-CM with its dot after 3 chars."""
    code = "".join(code.split()).upper()
    if system == CodeSystem.ICD10CM and len(code) > 3 and "." not in code:
        code = f"{code[:3]}.{code[3:]}"
    return code
