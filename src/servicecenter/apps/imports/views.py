"""The import page: choose a kind, upload a CSV or Excel file, see every problem, then apply."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.imports.base import IMPORTERS
from servicecenter.apps.imports.models import ImportRun
from servicecenter.apps.jobs.services import save_upload
from servicecenter.apps.jobs.views import begin
from servicecenter.apps.registry.models import Provider


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    provider = forms.ChoiceField(label=_("Provider"))
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file, write nothing"), required=False, initial=True)
    replace = forms.BooleanField(label=_("Replace what is already stored for the same year (ledger); the check says how many rows go and come"),
                                 required=False, initial=False)

    def __init__(self, *args, kinds, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, IMPORTERS[kind].label) for kind in kinds]
        self.fields["provider"].choices = providers
        if len(providers) == 1:
            self.fields["provider"].widget = forms.HiddenInput()
            self.fields["provider"].initial = providers[0][0]


@login_required
def import_page(request):
    scope = scope_of(request)
    kinds = [kind for kind, importer in IMPORTERS.items() if scope.can(importer.capability)]
    if not kinds:
        raise PermissionDenied
    providers = list(Provider.objects.visible_to(scope).values_list("code", "name"))
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, kinds=kinds, providers=providers)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.MAX_IMPORT_UPLOAD_BYTES:
                form.add_error("file", _("The file is larger than %(limit)s MB.") % {"limit": settings.MAX_IMPORT_UPLOAD_BYTES // (1024 * 1024)})
            else:
                provider = Provider.objects.visible_to(scope).get(code=form.cleaned_data["provider"])
                data = upload.read()
                choice = form.cleaned_data
                params = {"kind": choice["kind"], "name": upload.name, "dry_run": choice["dry_run"], "replace": choice["replace"]}

                def keep_file(job):
                    job.params["path"] = save_upload(job.pk, upload.name, data)

                label = (_("Check %(file)s (%(kind)s)") if choice["dry_run"] else _("Import %(file)s (%(kind)s)")) % {
                    "file": upload.name, "kind": IMPORTERS[choice["kind"]].label}
                # the same file, kind and choices started twice (two clicks, two tabs) is one job
                key = f"import:{provider.pk}:{choice['kind']}:{hashlib.sha256(data).hexdigest()}:{choice['dry_run']}:{choice['replace']}"
                return begin(request, "imports.run", label=str(label), key=key, params=params, provider=provider, prepare=keep_file,
                             back_url=f"{reverse('import')}?kind={choice['kind']}")
    else:
        form = ImportForm(kinds=kinds, providers=providers, initial={"kind": request.GET.get("kind", kinds[0]),
                                                                    **({"provider": request.GET["provider"]} if len(providers) > 1 and request.GET.get("provider") else {})})
        report = _stored_report(request, scope, kinds)
    language = (get_language() or "sv")[:2]
    return render(request, "imports/import.html", {
        "form": form,
        "report": report,
        "lines": [(p["severity"], p.get(language) or p.get("sv", "")) for p in report["problems"]] if report else [],
        "importers": [(kind, IMPORTERS[kind]) for kind in kinds],
        "runs": [(run, IMPORTERS[run.kind].label if run.kind in IMPORTERS else run.kind) for run in ImportRun.objects.visible_to(scope, kinds)[:10]],
    })


def _stored_report(request, scope, kinds) -> dict | None:
    """The report of an import (its log entry), when the page is opened from its job."""
    number = request.GET.get("run", "")
    if not number.isdigit():
        return None
    run = ImportRun.objects.visible_to(scope, kinds).filter(pk=int(number), user=request.user).first()
    if run is None:
        return None
    return {"status": run.status, "source": run.filename, "rows": run.rows, "counts": run.counts, "problems": run.problems}


@login_required
def import_template(request, kind: str, extension: str):
    """A template of ``kind`` (Swedish headings and one example row) as .xlsx or .csv."""
    from django.http import Http404, HttpResponse

    from servicecenter.apps.imports.templates import template_csv, template_xlsx

    if kind not in IMPORTERS or extension not in ("xlsx", "csv"):
        raise Http404
    scope_of(request).require(IMPORTERS[kind].capability)
    if extension == "xlsx":
        response = HttpResponse(template_xlsx(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mall-{kind}.{extension}"'
    return response
