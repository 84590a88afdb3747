"""Writes: call forms, and everything that happens to an application (split by step)."""

from .call_forms import call_form_save
from .common import ApplicationError
from .deadlines import DeadlineClose, DeadlineNotPassed, applications_close_at_deadline, deadline_officer_ids
from .drafting import (
    SectionSave,
    application_copy,
    application_create,
    application_request_approval,
    application_section_save,
    definition_of,
)
from .parts import (
    application_budget_save,
    application_file_add,
    application_file_remove,
    application_partner_add,
    application_partner_remove,
    partner_organisation_find_or_create,
)
from .submission import (
    CheckItem,
    NotApplicantMember,
    SoftWarning,
    SubmissionCheck,
    SubmissionRefused,
    application_facts,
    application_justify,
    application_publicity_choose,
    application_reopen,
    application_submit,
    application_withdraw,
    reference_next,
    submission_check,
)
from .transitions import application_transition, on_transition, transition_check

__all__ = [
    "ApplicationError",
    "CheckItem",
    "DeadlineClose",
    "DeadlineNotPassed",
    "NotApplicantMember",
    "SectionSave",
    "SoftWarning",
    "SubmissionCheck",
    "SubmissionRefused",
    "application_budget_save",
    "application_copy",
    "application_create",
    "application_facts",
    "application_file_add",
    "application_file_remove",
    "application_justify",
    "application_partner_add",
    "application_partner_remove",
    "application_publicity_choose",
    "application_reopen",
    "application_request_approval",
    "application_section_save",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "applications_close_at_deadline",
    "call_form_save",
    "deadline_officer_ids",
    "definition_of",
    "on_transition",
    "partner_organisation_find_or_create",
    "reference_next",
    "submission_check",
    "transition_check",
]
