"""The three statistical regions the supplier development programme reports on, by county number.

This is the one place the mapping lives. Møre og Romsdal is counted with Midt-Norge (with
Trøndelag), as in the programme's region "Midt- og Nord-Norge"; change it here if the agencies'
reporting says otherwise.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    OSTLANDET = "ostlandet", _("Østlandet")
    MIDT_NORD = "midt-nord", _("Midt- og Nord-Norge")
    SOR_VEST = "sor-vest", _("Sør- og Vestlandet")


REGION_OF_COUNTY = {
    "03": Region.OSTLANDET,  # Oslo
    "31": Region.OSTLANDET,  # Østfold
    "32": Region.OSTLANDET,  # Akershus
    "33": Region.OSTLANDET,  # Buskerud
    "34": Region.OSTLANDET,  # Innlandet
    "39": Region.OSTLANDET,  # Vestfold
    "40": Region.OSTLANDET,  # Telemark
    "11": Region.SOR_VEST,  # Rogaland
    "42": Region.SOR_VEST,  # Agder
    "46": Region.SOR_VEST,  # Vestland
    "15": Region.MIDT_NORD,  # Møre og Romsdal
    "50": Region.MIDT_NORD,  # Trøndelag
    "18": Region.MIDT_NORD,  # Nordland
    "55": Region.MIDT_NORD,  # Troms
    "56": Region.MIDT_NORD,  # Finnmark
}
