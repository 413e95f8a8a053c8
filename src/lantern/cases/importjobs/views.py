"""The import pages: upload and check a file, confirm it, follow its job to the end."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.cases.importjobs import runner, service
from lantern.cases.importjobs.forms import LABELS, UploadForm
from lantern.cases.importjobs.models import ImportJob, ImportStatus
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.errors import NotFound, ProtectionError


def _job(user: Any, job_id: int) -> ImportJob:
    try:
        return service.get(user, job_id)
    except NotFound as exc:
        raise Http404 from exc


@allowed("case", "import")
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is checked at once (a dry run), then waits for confirmation."""
    user: Any = request.user
    form, status = UploadForm(request.POST or None, request.FILES or None), 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = service.check(
                    user,
                    upload.read(),
                    upload.name or "",
                    source_format=form.cleaned_data["source_format"],
                    for_agency=form.cleaned_data["for_agency"],
                    source=request_source(request),
                )
            except ProtectionError as exc:
                status = show_error(form, exc)
            else:
                return redirect("web:import_job", job.pk)
    jobs = list(service.visible(user)[:20])
    return render(request, "web/imports/index.html", {"form": form, "jobs": jobs}, status=status)


@allowed("case", "import")
@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job: the dry run's result and the Confirm button, then its progress and its result."""
    user: Any = request.user
    job = _job(user, job_id)
    if request.method == "POST":
        try:
            job = service.confirm(user, job.pk, source=request_source(request))
        except ProtectionError:
            pass  # already confirmed (another tab, another person): the page says where it is
        else:
            pk = job.pk
            transaction.on_commit(lambda: runner.start(pk))
        return redirect("web:import_job", job.pk)
    context = {
        "job": job,
        "done": service.progress(job),
        "running": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "format_label": LABELS.get(job.source_format, job.source_format),
    }
    if request.headers.get("HX-Request"):
        res = render(request, "web/imports/_status.html", context)
        if job.finished:
            res["HX-Refresh"] = "true"  # the whole page, with the result and its row errors
        return res
    context["errors"] = service.shown_errors(user, job, source=request_source(request))
    context["more_errors"] = max(len(job.error_rows) - service.SHOWN_ERRORS, 0)
    # as the row errors: from the check, and once the import has ended
    context["warnings"] = service.shown_warnings(job)
    return render(request, "web/imports/job.html", context)


@allowed("case", "import")
def import_job_errors(request: HttpRequest, job_id: int) -> HttpResponse:
    """Every row error of a job, as CSV."""
    job = _job(request.user, job_id)
    body = service.errors_csv(request.user, job, source=request_source(request))
    res = HttpResponse(body, content_type="text/csv; charset=utf-8")
    res["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return res
