"""Every rule type, registered on import. A new module here needs one line below."""

from . import applicant, candidate, declarations, funding, officer, partners, project

__all__ = ["applicant", "candidate", "declarations", "funding", "officer", "partners", "project"]
