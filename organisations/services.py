import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import County, Municipality
from .regions import REGION_OF_COUNTY

# Source: Kartverket's 2024 division via robhop/fylker-og-kommuner; see data/SOURCES.md.
MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "kommuner-2024.csv"


@dataclass(frozen=True)
class LoadResult:
    counties_created: int
    counties_updated: int
    municipalities_created: int
    municipalities_updated: int


@transaction.atomic
def municipalities_load(
    *, path: Path = MUNICIPALITIES_CSV, county_model=County, municipality_model=Municipality
) -> LoadResult:
    """Create or update every county and municipality in the file. Rerunning it changes nothing
    that is already right and never duplicates (the numbers are the primary keys).

    The data migration passes its historical models; everything else uses the defaults."""
    County, Municipality = county_model, municipality_model
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    counties = {row["fylkesnummer"]: row["fylke"] for row in rows}
    unknown = set(counties) - set(REGION_OF_COUNTY)
    if unknown:
        raise ValueError(f"Counties without a region in organisations/regions.py: {sorted(unknown)}")

    existing_counties = County.objects.in_bulk(list(counties))
    c_created = c_updated = 0
    for number, name in counties.items():
        region = REGION_OF_COUNTY[number]
        county = existing_counties.get(number)
        if county is None:
            County.objects.create(number=number, name=name, region=region)
            c_created += 1
        elif (county.name, county.region) != (name, region):
            County.objects.filter(pk=number).update(name=name, region=region)
            c_updated += 1

    existing = Municipality.objects.in_bulk([row["kommunenummer"] for row in rows])
    new, changed = [], []
    for row in rows:
        m = existing.get(row["kommunenummer"])
        if m is None:
            new.append(Municipality(number=row["kommunenummer"], name=row["navn"], county_id=row["fylkesnummer"]))
        elif (m.name, m.county_id) != (row["navn"], row["fylkesnummer"]):
            m.name, m.county_id = row["navn"], row["fylkesnummer"]
            changed.append(m)
    Municipality.objects.bulk_create(new)
    Municipality.objects.bulk_update(changed, ["name", "county"])
    return LoadResult(c_created, c_updated, len(new), len(changed))
