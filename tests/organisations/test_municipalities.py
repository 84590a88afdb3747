import pytest
from django.db.models import Count

from organisations.models import County, Municipality
from organisations.regions import REGION_OF_COUNTY, Region
from organisations.services import municipalities_load

pytestmark = pytest.mark.django_db


def test_the_2024_division_is_loaded_by_the_migration():
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    assert Municipality.objects.get(number="0301").name == "Oslo"
    assert Municipality.objects.get(number="4601").county.name == "Vestland"
    # Every municipality sits in the county given by its first two digits.
    assert all(m.number[:2] == m.county_id for m in Municipality.objects.all())


def test_every_county_has_one_of_the_three_regions():
    assert set(County.objects.values_list("number", flat=True)) == set(REGION_OF_COUNTY)
    per_region = dict(County.objects.values_list("region").annotate(n=Count("number")))
    assert set(per_region) == set(Region.values)
    assert County.objects.get(number="03").region == Region.OSTLANDET
    assert County.objects.get(number="46").region == Region.SOR_VEST
    assert County.objects.get(number="56").region == Region.MIDT_NORD


def test_rerunning_the_load_updates_and_never_duplicates():
    Municipality.objects.filter(number="4601").update(name="Feil navn")
    result = municipalities_load()
    assert (result.municipalities_created, result.municipalities_updated) == (0, 1)
    assert Municipality.objects.get(number="4601").name == "Bergen"
    assert municipalities_load().municipalities_updated == 0
    assert Municipality.objects.count() == 357


def test_a_file_with_a_control_character_is_refused_and_nothing_is_loaded(tmp_path):
    from organisations.services import MUNICIPALITIES_CSV

    lines = MUNICIPALITIES_CSV.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",", "\x07,", 1)
    path = tmp_path / "kommuner.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    Municipality.objects.filter(number="4601").update(name="Feil navn")

    with pytest.raises(ValueError, match=r"Linje 4 i kommuner\.csv har usynlige kontrolltegn"):
        municipalities_load(path=path)
    assert Municipality.objects.get(number="4601").name == "Feil navn"
