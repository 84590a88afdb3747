"""Form definitions for tests."""

from typing import Any


def question(key: str, type_: str, *, required: bool = True, help_: str | None = None, **params) -> dict[str, Any]:
    data: dict[str, Any] = {"key": key, "type": type_, "label": {"nb": f"Spørsmål {key}", "nn": f"Spørsmål {key} nn",
                                                                  "en": f"Question {key}"}}  # fmt: skip
    if help_:
        data["help"] = {"nb": help_}
    return {**data, "required": required, "params": params}


def section(key: str, *questions: dict[str, Any], title: str | None = None) -> dict[str, Any]:
    title = title or f"Del {key}"
    return {"key": key, "title": {"nb": title, "nn": f"{title} nn", "en": f"{title} en"}, "questions": list(questions)}


def definition(*sections: dict[str, Any]) -> dict[str, Any]:
    return {"sections": list(sections)}


CHOICES = [
    {"value": "a", "label": {"nb": "Alfa", "nn": "Alfa nn", "en": "Alpha"}},
    {"value": "b", "label": {"nb": "Beta"}},
    {"value": "c", "label": {"nb": "Gamma"}},
]

# One valid question of every type, with parameters: the completeness test needs one per registered type.
EXAMPLES: dict[str, dict[str, Any]] = {
    "short-text": question("navn", "short-text", max_length=20),
    "long-text": question("beskrivelse", "long-text", max_chars=10),
    "number": question("antall", "number", min_value=1, max_value=48, decimals=1),
    "amount": question("belop", "amount", min_amount=100_000, max_amount=2_000_000),
    "date": question("start", "date"),
    "yes-no": question("delt", "yes-no"),
    "single-choice": question("ett", "single-choice", choices=CHOICES),
    "multiple-choice": question("flere", "multiple-choice", choices=CHOICES, min_selected=1, max_selected=2),
    "partners": question("partnere", "partners", min_partners=1, max_partners=3),
    "budget": question("budsjett", "budget", categories=["personal", "annet"], max_years=2),
    "attachment": question("vedlegg", "attachment", allowed_extensions=["pdf", "docx"], max_size_mb=2, multiple=False),
}


def every_type_definition() -> dict[str, Any]:
    return definition(section("alt", *EXAMPLES.values()))
