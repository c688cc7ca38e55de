"""URLs of the EHR answers: Infobutton under /api/v1/, CDS Hooks where its specification puts
them (at the root, without a trailing slash)."""

from django.urls import path

from ehr import api

urlpatterns = [
    path("api/v1/infobutton/", api.Infobutton.as_view(), name="infobutton"),
    path("cds-services", api.CdsDiscovery.as_view(), name="cds-discovery"),
    path(
        "cds-services/patient-education",
        api.CdsPatientEducation.as_view(),
        name="cds-patient-education",
    ),
]
