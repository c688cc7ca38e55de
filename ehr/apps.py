"""Patient education from inside the EHR: HL7 Infobutton (a drop-in for MedlinePlus Connect)
and CDS Hooks 2.0, answered from the live documents.

Owns the one ranking of live documents for a set of medical codes (`ehr.ranking`), the
Infobutton request and answer formats, the CDS Hooks service and its cards. Stores nothing.

May import: `delivery` (the live documents, the answer cache, rendering helpers) and
`contentapi`. Never the write side (`articles`), `webhooks` or `review`.
"""

from django.apps import AppConfig


class EhrConfig(AppConfig):
    name = "ehr"
