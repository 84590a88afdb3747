"""What is known about an applicant and its project, for the eligibility rules.

Every fact is optional: ``None`` means *not known yet*, which a rule answers with «unknown», never
with «fails». The public check fills in what the visitor tells it; submission fills in everything
from the application. Nothing here touches the database.
"""

from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

from organisations.models import PUBLIC_KINDS, OrganisationKind


@dataclass(frozen=True, slots=True)
class PartnerFacts:
    """One partner of the project; ``kind`` is ``None`` until it is known (e.g. not yet looked up).

    ``maybe``: a partner of ``kind`` the project may or may not have (the visitor answered «vet
    ikke»). It is never counted as a partner the project has, never shown as one, and never makes
    a rule about other kinds of partner unknown: only a rule about ``kind`` waits for the answer.
    """

    kind: OrganisationKind | None = None
    maybe: bool = False

    @property
    def is_public(self) -> bool | None:
        return None if self.kind is None else self.kind in PUBLIC_KINDS


@dataclass(frozen=True, slots=True)
class Facts:
    """Facts about one applicant and project; shares are percentages (0–100), amounts NOK.

    ``partners`` is the complete list of partners once known (an empty tuple: no partners).
    ``applications_this_call`` / ``applications_this_year`` count the organisation's *earlier*
    applications, not the one being checked. ``confirmed_declarations`` holds the keys of the
    declarations the applicant has confirmed, once it has answered them: a declaration whose key is
    missing from a known set is *not* confirmed. ``support_share`` is the amount applied for as a
    share of the project's total costs. ``stage`` is the application's stage (a
    ``schemes.CallStage.Kind`` value) in a staged call, ``None`` otherwise;
    ``previous_stage_completed`` whether the stage before it (e.g. the pre-project) is completed.
    """

    applicant_kind: OrganisationKind | None = None
    applicant_public_funding_share: Decimal | None = None
    partners: tuple[PartnerFacts, ...] | None = None
    own_funding_share: Decimal | None = None
    requested_amount: Decimal | None = None
    duration_months: int | None = None
    candidate_permanently_employed: bool | None = None
    candidate_has_doctorate: bool | None = None
    applications_this_call: int | None = None
    applications_this_year: int | None = None
    confirmed_declarations: frozenset[str] | None = None
    support_share: Decimal | None = None
    previous_stage_completed: bool | None = None
    stage: str | None = None

    def __post_init__(self) -> None:
        for name in ("applicant_public_funding_share", "own_funding_share", "support_share"):
            share = getattr(self, name)
            if share is not None and not 0 <= share <= 100:
                raise ValueError(f"{name} is a percentage between 0 and 100, got {share}")
        for name in ("requested_amount", "duration_months", "applications_this_call", "applications_this_year"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} cannot be negative, got {value}")

    def with_(self, **changes: Any) -> "Facts":
        """These facts with some added or changed: ``facts.with_(duration_months=36)``."""
        return replace(self, **changes)

    def __or__(self, other: "Facts") -> "Facts":
        """Merge: every fact known in ``other`` wins, the rest is kept from ``self``."""
        known = {field.name: value for field in fields(other) if (value := getattr(other, field.name)) is not None}
        return replace(self, **known)
