"""One import pipeline for every kind of file, on the command line and in the web UI.

1. ``read_table`` opens the file and maps its header (formats.tabular).
2. The importer checks every row and collects *all* problems, each with file, row and column.
3. Cross-row checks (duplicates) run over the checked rows.
4. Only when no error was found, and it is not a dry run, the rows are written inside one
   transaction: everything or nothing. The run is logged (ImportRun + audit entry) either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from django.db import IntegrityError, transaction
from django.utils import translation

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.audit import record
from servicecenter.core import progress
from servicecenter.core.problems import Problem, Severity
from servicecenter.formats.tabular import Column, read_table

MAX_PROBLEMS = 1000
#: the texts of one file cut to their column that are listed one by one (``RowCheck.kept``)
CUT_LISTED = 100


@dataclass
class ImportReport:
    kind: str
    source: str
    dry_run: bool
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False
    run_id: int | None = None

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def status(self) -> str:
        if not self.ok:
            return "rejected"
        return "checked" if self.dry_run else "applied"

    def lines(self, language: str = "sv") -> list[str]:
        return [problem.describe(language) for problem in self.problems]


class RowCheck:
    """Collects the problems of one row, each located at the file, row and the column's heading.
    ``cut``: the (column, value) pairs of the file already warned about by ``kept``."""

    def __init__(self, source: str, number: int, heading: Callable[[str], str], cut: set | None = None):
        self.source, self.number, self.heading = source, number, heading
        self.problems: list[Problem] = []
        self.cut = cut if cut is not None else set()

    def kept(self, column: str, text: str | None, limit: int) -> str:
        """A free text (a description, an address, a name beside its code) as its column keeps it:
        whole when it fits, else its first ``limit`` characters with a warning, the first time the
        file has that value in that column. Never for a code: a code cut short names something
        else, so a long one is refused (``parse_text``'s limit)."""
        text = (text or "").strip()
        if len(text) <= limit:
            return text
        if (column, text) not in self.cut and len(self.cut) <= CUT_LISTED:
            if len(self.cut) < CUT_LISTED:
                self.add(column, Problem("value.cut", {"limit": limit}, value=text, severity=Severity.WARNING))
            else:   # a file of a million long texts is not a million warnings
                self.add(column, Problem("value.cut_more", {"listed": CUT_LISTED}, severity=Severity.WARNING))
            self.cut.add((column, text))
        return text[:limit]

    def take(self, column: str, result: tuple[Any, Problem | None]) -> Any:
        """Unpack a parser's ``(value, problem)``, keeping the problem."""
        value, problem = result
        self.add(column, problem)
        return value

    @property
    def errors(self) -> bool:
        """Whether the row has a problem that refuses it (a warning does not)."""
        return any(problem.severity is Severity.ERROR for problem in self.problems)

    def add(self, column: str | None, problem: Problem | None) -> None:
        if problem is not None:
            self.problems.append(replace(problem, source=self.source, row=self.number,
                                         column=self.heading(column) if column else problem.column))


class Importer:
    """Checks rows of one kind of file and writes them. Subclasses set ``kind`` and ``columns``
    and implement ``check_row``, optionally ``check_all``, and ``apply``."""

    kind: ClassVar[str]
    do_not_call_in_templates: ClassVar[bool] = True  # pages read an importer class's columns; calling it would hide them
    columns: ClassVar[tuple[Column, ...]]
    capability: ClassVar[Capability] = Capability.IMPORT_REGISTRY
    label: ClassVar[Any] = ""
    help_text: ClassVar[Any] = ""

    #: Whether this kind replaces stored data wholesale (a ledger year): then the person confirms.
    replaces: ClassVar[bool] = False
    #: Whether the importer checks the whole file at once (``check_file``) instead of row by row.
    whole_file: ClassVar[bool] = False

    def __init__(self, provider, user=None, replace: bool = False):
        self.provider = provider
        self.user = user
        self.source = ""
        self.replace = replace  # the person confirmed that stored data may be replaced
        self.cut: set[tuple[str, str]] = set()   # the long texts warned about (``RowCheck.kept``)

    def open(self, data: bytes | Path, source: str):
        """The file as a table of rows; importers of non-tabular formats (SIE) override this."""
        return read_table(data, source, self.columns)

    def prepare(self) -> None:
        """Load what checking needs (existing customers, services...) once."""

    def check_row(self, number: int, row: dict[str, str], heading: Callable[[str], str]) -> tuple[Any, list[Problem]]:
        raise NotImplementedError

    def check_all(self, checked: list[tuple[int, Any]], heading: Callable[[str], str]) -> list[Problem]:
        return []

    def apply(self, checked: list[tuple[int, Any]]) -> dict[str, int]:
        raise NotImplementedError

    def check_file(self, data: bytes | Path, source: str, *, dry_run: bool) -> tuple[int, list[Problem], Any]:
        """For ``whole_file`` importers: (rows, problems, what ``apply`` takes)."""
        raise NotImplementedError

    def discard(self, checked: Any) -> None:
        """Undo what checking prepared outside the database when nothing is applied."""

    # helpers -------------------------------------------------------------------------------
    def row_check(self, number: int, heading: Callable[[str], str]) -> RowCheck:
        return RowCheck(self.source, number, heading, self.cut)

    @staticmethod
    def duplicates(checked: list[tuple[int, Any]], key: Callable[[Any], Any], source: str) -> list[Problem]:
        first_seen: dict[Any, int] = {}
        problems = []
        for number, value in checked:
            identity = key(value)
            if identity in first_seen:
                problems.append(Problem("row.duplicate", {"first": first_seen[identity]}, source=source, row=number))
            else:
                first_seen[identity] = number
        return problems


IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    IMPORTERS[importer.kind] = importer
    return importer


def kind_label(kind: str) -> str:
    """What a kind of file is called (``office_visits`` → "Besök och ärenden per kontor"), for
    the audit log and anything else that names an import: never the code."""
    importer = IMPORTERS.get(kind)
    return str(importer.label) if importer is not None and importer.label else kind.replace("_", " ")


def run_import(kind: str, data: bytes | Path, source: str, *, provider, user=None, dry_run: bool = False,
               replace: bool = False) -> ImportReport:
    """Check ``data`` as a file of ``kind`` and, if it has no error and this is no dry run, write it.
    ``replace``: the person confirmed that stored data the file replaces (a ledger year) may go."""
    importer = IMPORTERS[kind](provider, user, replace=replace)
    importer.source = source
    report = ImportReport(kind=kind, source=source, dry_run=dry_run)
    checked: list[tuple[int, Any]] = []
    if importer.whole_file:
        # columnar importers check the whole file at once (events: DuckDB), same report after
        importer.prepare()
        progress.step(translation.gettext("Checking %(file)s") % {"file": source})
        report.rows, report.problems, checked = importer.check_file(data, source, dry_run=dry_run)
        table = None
    else:
        table, report.problems = importer.open(data, source)
    problems = report.problems
    if table is not None:
        importer.prepare()
        error_count = 0
        progress.step(translation.gettext("Checking %(file)s") % {"file": source})
        for number, row in table.rows():
            report.rows += 1
            if report.rows % 5000 == 0:
                progress.report(report.rows, 0, translation.gettext("Checked %(rows)s rows") % {"rows": f"{report.rows:,}".replace(",", "\u00a0")})
            if error_count >= MAX_PROBLEMS:
                continue
            value, row_problems = importer.check_row(number, row, table.heading)
            problems.extend(row_problems)
            errors = sum(1 for problem in row_problems if problem.severity is Severity.ERROR)
            if errors:
                error_count += errors
            else:   # a row with warnings only (a text cut to its column) is kept
                checked.append((number, value))
        if report.rows == 0 and not report.errors:
            problems.append(Problem("file.no_rows", source=source))
        if not report.errors:
            problems.extend(importer.check_all(checked, table.heading))
    if len(report.errors) >= MAX_PROBLEMS:
        report.truncated = True
        report.problems = report.problems[:MAX_PROBLEMS] + [Problem("file.too_many_problems", {"limit": MAX_PROBLEMS}, source=source)]
    logged = False
    if report.ok and not dry_run:
        try:
            progress.step(translation.ngettext("Writing %(rows)s row", "Writing %(rows)s rows", report.rows) % {"rows": report.rows})
            with transaction.atomic():
                report.counts = importer.apply(checked)
                _log(report, provider, user)
                logged = True
        except IntegrityError as error:
            report.counts = {}
            report.problems.append(Problem("import.database", {"detail": str(error).splitlines()[0]}, source=source))
        finally:
            if not logged:
                importer.discard(checked)
    elif importer.whole_file:
        importer.discard(checked)
    if not logged:
        _log(report, provider, user)
    return report


def _log(report: ImportReport, provider, user) -> None:
    from servicecenter.apps.imports.models import ImportRun

    run = ImportRun.objects.create(
        kind=report.kind,
        filename=report.source[:255],
        provider=provider,
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        status=report.status,
        rows=report.rows,
        counts=report.counts,
        problems=[
            {"code": p.code, "row": p.row, "column": p.column, "value": p.value, "severity": p.severity.value, "sv": p.describe("sv"), "en": p.describe("en")}
            for p in report.problems[: MAX_PROBLEMS + 1]
        ],
    )
    report.run_id = run.pk
    record(f"imports.{report.kind}.{report.status}", user=user, obj=run, provider=provider,
           data={"file": report.source, "rows": report.rows, "counts": report.counts, "errors": len(report.errors)})
