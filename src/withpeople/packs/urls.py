from django.urls import path

from withpeople.packs import views

app_name = "packs"

urlpatterns = [
    path("o/<slug:org_slug>/works/<int:pk>/evidence-pack/", views.work_pack, name="work"),
    path(
        "o/<slug:org_slug>/works/<int:pk>/evidence-pack.pdf",
        views.work_pack_pdf,
        name="work-pdf",
    ),
    path("o/<slug:org_slug>/evidence-pack/", views.organisation_pack, name="organisation"),
    path(
        "o/<slug:org_slug>/evidence-pack.pdf",
        views.organisation_pack_pdf,
        name="organisation-pdf",
    ),
    path(
        "o/<slug:org_slug>/evidence-packs/<int:job_pk>/",
        views.job,
        name="job",
    ),
    path(
        "o/<slug:org_slug>/evidence-packs/<int:job_pk>/evidence-pack.pdf",
        views.job_pdf,
        name="job-pdf",
    ),
    path("o/<slug:org_slug>/files/<slug:kind>/", views.export_file, name="export-file"),
    path(
        "o/<slug:org_slug>/files/made/<int:job_pk>/",
        views.export_job,
        name="export-job",
    ),
    path(
        "o/<slug:org_slug>/files/made/<int:job_pk>/download",
        views.export_job_file,
        name="export-job-file",
    ),
]
