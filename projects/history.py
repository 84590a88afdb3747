"""Import of earlier applications and their outcomes from CSV (docs: README «Historikkimport»).

``history_import`` validates every row first and reports each problem with its line number; only a
file without problems is written, in one transaction, so nothing is half-imported. Rows are keyed
on ``external_id``: importing the same file again finds every row unchanged and writes nothing.
With ``dry_run`` the rows are written and rolled back, so the report's counts are exact.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.models import PUBLIC_KINDS, Municipality, Organisation, OrganisationKind
from organisations.validators import clean_organisation_number
from portal.numbers import NumberError, parse_norwegian_number
from schemes.models import Call, Scheme, SustainableDevelopmentGoal, Theme

from .models import Decision, Project, ProjectStatus
from .services import project_search_document

REQUIRED_COLUMNS = (
    "external_id", "year", "scheme", "organisation_number", "title", "amount_applied", "amount_granted",
    "decision", "kommunenummer",
)  # fmt: skip
OPTIONAL_COLUMNS = ("call", "organisation_name", "organisation_kind", "summary", "sdgs", "themes", "status", "results")
DECISIONS = {"innvilget": Decision.GRANTED, "avslått": Decision.REFUSED, "avslatt": Decision.REFUSED}
STATUSES = {"pågår": ProjectStatus.ONGOING, "pagar": ProjectStatus.ONGOING, "avsluttet": ProjectStatus.COMPLETED}
COMPARED = (
    "title", "summary", "results", "organisation_id", "municipality_id", "county_id", "scheme_id", "call_id",
    "call_title", "year", "decision", "status", "amount_applied", "amount_granted",
)  # fmt: skip


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _DryRun(Exception):
    pass


@dataclass
class _Row:
    line: int
    values: dict
    sdgs: list
    themes: list
    organisation_number: str
    organisation_name: str
    organisation_kind: str


def _amount(raw: str, column: str, line: int, errors: list[RowError]):
    if not raw.strip():
        return None
    try:
        value = parse_norwegian_number(raw, whole=True)
    except NumberError:
        errors.append(RowError(line, column, _("«%(value)s» er ikke et beløp i hele kroner.") % {"value": raw}))
        return None
    if value < 0:
        errors.append(RowError(line, column, _("Beløpet kan ikke være negativt.")))
    return value


def _parse_row(line: int, row: dict, refs: dict, errors: list[RowError]) -> _Row | None:
    before = len(errors)
    get = lambda column: (row.get(column) or "").strip()  # noqa: E731
    external_id = get("external_id")
    if not external_id:
        errors.append(RowError(line, "external_id", _("Mangler ekstern id.")))
    try:
        year = int(get("year"))
        if not 1990 <= year <= 2100:
            raise ValueError
    except ValueError:
        errors.append(RowError(line, "year", _("«%(value)s» er ikke et årstall.") % {"value": get("year")}))
        year = None
    scheme = refs["schemes"].get(get("scheme"))
    if scheme is None:
        errors.append(RowError(line, "scheme", _("Ukjent ordning «%(value)s».") % {"value": get("scheme")}))
    organisation_number = ""
    try:
        organisation_number = clean_organisation_number(get("organisation_number"))
    except ValidationError as error:
        errors.append(RowError(line, "organisation_number", error.messages[0]))
    municipality = refs["municipalities"].get(get("kommunenummer"))
    if get("kommunenummer") and municipality is None:
        errors.append(
            RowError(line, "kommunenummer", _("Ukjent kommunenummer «%(value)s».") % {"value": get("kommunenummer")})
        )
    title = get("title")
    if not title:
        errors.append(RowError(line, "title", _("Mangler tittel.")))
    decision = DECISIONS.get(get("decision").casefold())
    if decision is None:
        errors.append(RowError(line, "decision", _("Vedtaket må være «innvilget» eller «avslått».")))
    applied = _amount(get("amount_applied"), "amount_applied", line, errors)
    granted = _amount(get("amount_granted"), "amount_granted", line, errors)
    if decision == Decision.GRANTED and not granted:
        errors.append(RowError(line, "amount_granted", _("Et innvilget prosjekt må ha et innvilget beløp.")))
    status = ProjectStatus.NOT_FUNDED if decision == Decision.REFUSED else ProjectStatus.COMPLETED
    if get("status") and decision == Decision.GRANTED:
        status = STATUSES.get(get("status").casefold())
        if status is None:
            errors.append(RowError(line, "status", _("Status må være «pågår» eller «avsluttet».")))
    sdgs = []
    for number in filter(None, (part.strip() for part in get("sdgs").replace(",", ";").split(";"))):
        goal = refs["sdgs"].get(number)
        if goal is None:
            errors.append(RowError(line, "sdgs", _("«%(value)s» er ikke et bærekraftsmål (1–17).") % {"value": number}))
        else:
            sdgs.append(goal)
    themes = []
    for slug in filter(None, (part.strip() for part in get("themes").split(";"))):
        theme = refs["themes"].get(slug)
        if theme is None:
            errors.append(RowError(line, "themes", _("Ukjent tema «%(value)s».") % {"value": slug}))
        else:
            themes.append(theme)
    kind = get("organisation_kind") or OrganisationKind.OTHER
    if kind not in OrganisationKind.values:
        errors.append(RowError(line, "organisation_kind", _("Ukjent type virksomhet «%(value)s».") % {"value": kind}))
    if len(errors) > before:
        return None
    call = refs["calls"].get((scheme.pk, get("call"))) if get("call") else None
    values = {
        "title": title[:300], "summary": get("summary"), "results": get("results"), "scheme_id": scheme.pk,
        "call_id": call.pk if call else None, "call_title": get("call")[:200], "year": year, "decision": decision,
        "status": status, "amount_applied": applied, "amount_granted": granted if granted else None,
        "municipality_id": municipality.pk if municipality else None,
        "county_id": municipality.county_id if municipality else None, "external_id": external_id,
    }  # fmt: skip
    return _Row(line, values, sdgs, themes, organisation_number, get("organisation_name"), kind)


def _references() -> dict:
    return {
        "schemes": {scheme.slug: scheme for scheme in Scheme.objects.only("id", "slug")},
        "calls": {(c.scheme_id, c.slug): c for c in Call.objects.only("id", "scheme_id", "slug")}
        | {(c.scheme_id, c.title): c for c in Call.objects.only("id", "scheme_id", "title")},
        "municipalities": {m.number: m for m in Municipality.objects.all()},
        "sdgs": {str(goal.number): goal for goal in SustainableDevelopmentGoal.objects.all()},
        "themes": {theme.slug: theme for theme in Theme.objects.all()},
    }


def _organisation(row: _Row, municipality_id) -> Organisation:
    organisation = Organisation.objects.filter(org_number=row.organisation_number).first()
    if organisation is None:
        kind = row.organisation_kind
        organisation = Organisation(
            org_number=row.organisation_number, name=row.organisation_name or row.organisation_number, kind=kind,
            public_funding_share=100 if kind in PUBLIC_KINDS else 0,
            municipality_id=municipality_id,
        )  # fmt: skip
        organisation.full_clean()
        organisation.save()
    return organisation


def _write(row: _Row, report: ImportReport) -> None:
    organisation = _organisation(row, row.values["municipality_id"])
    project = Project.objects.filter(external_id=row.values["external_id"]).first()
    values = {**row.values, "organisation_id": organisation.pk}
    if project is None:
        project = Project(**values)
        report.created += 1
    else:
        same = all(getattr(project, name) == values[name] for name in COMPARED)
        same = same and set(project.sdgs.all()) == set(row.sdgs) and set(project.themes.all()) == set(row.themes)
        if same:
            report.unchanged += 1
            return
        for name, value in values.items():
            setattr(project, name, value)
        report.updated += 1
    project.search_document = project_search_document(project)
    project.save()
    project.sdgs.set(row.sdgs)
    project.themes.set(row.themes)


def history_import(*, file, dry_run: bool = False) -> ImportReport:
    """Import the CSV ``file`` (text or bytes; UTF-8, «,» or «;» between columns)."""
    data = file.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return ImportReport(errors=[RowError(1, "", _("Filen må være UTF-8."))], dry_run=dry_run)
    try:
        dialect = csv.Sniffer().sniff(data.split("\n", 1)[0], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(data), dialect=dialect)
    report = ImportReport(dry_run=dry_run)
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(RowError(1, "", _("Kolonner mangler: %(columns)s.") % {"columns": ", ".join(missing)}))
        return report
    refs, rows, seen = _references(), [], set()
    for row in reader:
        report.rows += 1
        parsed = _parse_row(reader.line_num, row, refs, report.errors)
        if parsed is None:
            continue
        if parsed.values["external_id"] in seen:
            report.errors.append(RowError(reader.line_num, "external_id", _("Ekstern id står to ganger i filen.")))
            continue
        seen.add(parsed.values["external_id"])
        rows.append(parsed)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    _write(row, report)
                except ValidationError as error:
                    report.errors.append(RowError(row.line, "", "; ".join(error.messages)))
                    raise _DryRun from None  # nothing of the file is kept
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if report.errors:
        report.created = report.updated = report.unchanged = 0
    return report
