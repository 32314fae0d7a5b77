"""A report as a download: PDF (WeasyPrint, always in Swedish, the official language of the
report) or Excel (with the demo notice when the provider's data are illustrative)."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from servicecenter.formats.spreadsheet import write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_download(name: str, kind: str, template: str | None, context: dict, sheets) -> HttpResponse:
    """``kind`` is ``pdf`` (rendered from ``template``) or ``xlsx`` (from ``sheets``);
    ``context["provider"]`` says whether the data are the demo's."""
    demo = context["provider"].is_demo
    if kind == "pdf":
        from weasyprint import (
            HTML,  # imported here: loading pango costs time other pages need not pay
        )

        with translation.override("sv"):
            html = render_to_string(template, {**context, "demo": demo})
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    else:
        notice = _("Demo data: illustrative, built to match published totals; not real per-customer facts.") if demo else None
        response = HttpResponse(write_workbook(sheets, notice, notice_title=_("About the data")), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
