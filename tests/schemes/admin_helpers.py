"""Building the rule editor's POST as the page would send it."""

from typing import Any

from django.urls import reverse


def editor_url(owner, *, history: bool = False) -> str:
    name = "rule_history" if history else "rules"
    return reverse(f"admin:schemes_{owner._meta.model_name}_{name}", args=[owner.pk])


def editor_post(
    entries: list[dict[str, Any]], *, reason: str = "", confirm: bool = False, add: str | None = None
) -> dict[str, Any]:
    """``entries``: ``{"type": key, "params": {...}, "note": {"nb": ...}, "severity": "soft", "delete": bool}``
    in order."""
    data: dict[str, Any] = {"rules-TOTAL": str(len(entries)), "reason": reason}
    for index, entry in enumerate(entries):
        prefix = f"rule-{index}"
        data[f"{prefix}-type"] = entry["type"]
        for name, value in entry.get("params", {}).items():
            data[f"{prefix}-p-{name}"] = value
        for language, text in entry.get("note", {}).items():
            data[f"{prefix}-note_{language}"] = text
        if entry.get("severity"):
            data[f"{prefix}-severity"] = entry["severity"]
        if entry.get("delete"):
            data[f"{prefix}-DELETE"] = "on"
    if confirm:
        data["confirm_open_calls"] = "on"
    if add is not None:
        data.update({"add": "1", "add_type": add})
    return data
