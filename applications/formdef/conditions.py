"""Conditions: a question (or a whole section) is asked only when earlier answers or known facts say so.

Stored shape (on a question or a section, optional)::

    "condition": {"match": "all" | "any", "terms": [
        {"question": "kandidat-opptak", "op": "equals", "value": "sokt"},
        {"question": "kandidat-opptak", "op": "one-of", "values": ["sokt", "ikke-sokt"]},
        {"question": "egenfinansiering", "op": "lt", "value": 50},        # lt, le, gt, ge
        {"question": "forprosjekt-resultater", "op": "answered"},         # or "not-answered"
        {"fact": "organisation-kind", "op": "one-of", "values": ["kommune"]},
        {"fact": "stage", "op": "one-of", "values": ["main-project"]},
        {"fact": "partner-kind", "op": "one-of", "values": ["forskning"]},
        {"fact": "own-funding-share", "op": "lt", "value": 50}]}

A term about a question reads that question's answer; a question that does not apply counts as not
answered (so conditions chain). A term about a fact reads ``facts`` (``organisation-kind``: the
applicant's kind; ``stage``: the application's stage kind; ``partner-kind``: the kinds of its
partners, true when any partner has one of the kinds; ``own-funding-share``: own funding in per cent
of the budget's costs, compared with a number). An unknown fact makes its term false.

The reader (``base._Reader``) checks that a term names an earlier question (never the question
itself or a later one, so there can be no circle) and a value that fits its type.

Pure Python: no database access.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext, gettext_lazy

QUESTION_OPS = ("equals", "one-of", "lt", "le", "gt", "ge", "answered", "not-answered")
NUMBER_OPS = ("lt", "le", "gt", "ge")
FACTS = ("organisation-kind", "stage", "partner-kind", "own-funding-share")
NUMBER_FACTS = ("own-funding-share",)
FACT_LABELS = {
    "organisation-kind": gettext_lazy("Søkerens organisasjonstype"),
    "stage": gettext_lazy("Søknadens trinn"),
    "partner-kind": gettext_lazy("En partner er av typen"),
    "own-funding-share": gettext_lazy("Egenfinansiering i prosent av kostnadene"),
}
OP_SYMBOLS = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
MATCHES = ("all", "any")


@dataclass(frozen=True, slots=True)
class Term:
    op: str
    question: str | None = None
    fact: str | None = None
    value: Any = None
    values: tuple[Any, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"question": self.question} if self.question else {"fact": self.fact}
        data["op"] = self.op
        if self.op == "one-of":
            data["values"] = list(self.values)
        elif self.op not in ("answered", "not-answered"):
            data["value"] = self.value
        return data


@dataclass(frozen=True, slots=True)
class Condition:
    terms: tuple[Term, ...]
    match: str = "all"

    def to_json(self) -> dict[str, Any]:
        return {"match": self.match, "terms": [term.to_json() for term in self.terms]}

    def question_keys(self) -> set[str]:
        return {term.question for term in self.terms if term.question}


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def term_holds(term: Term, answers: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether one term is true. ``answers`` holds only answers of questions that apply."""
    if term.fact:
        known = facts.get(term.fact)
        if known is None:
            return False
        if term.op in NUMBER_OPS:
            return _compare(_number(known), _number(term.value), term.op)
        kinds = set(known) if isinstance(known, list | tuple | set | frozenset) else {known}
        return bool(kinds & {str(v) for v in term.values})
    value = answers.get(term.question)
    if term.op == "answered":
        return _answered(value)
    if term.op == "not-answered":
        return not _answered(value)
    if not _answered(value):
        return False
    if term.op == "equals":
        return _same(value, term.value)
    if term.op == "one-of":
        if isinstance(value, list):  # a multiple choice: any chosen value
            return any(_same(v, wanted) for v in value for wanted in term.values)
        return any(_same(value, wanted) for wanted in term.values)
    return _compare(_number(value), _number(term.value), term.op)


def _compare(number: Decimal | None, limit: Decimal | None, op: str) -> bool:
    if number is None or limit is None:
        return False
    return {"lt": number < limit, "le": number <= limit, "gt": number > limit, "ge": number >= limit}[op]


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, bool) or isinstance(wanted, bool):
        return value is wanted
    if isinstance(value, list):
        return wanted in value
    left, right = _number(value), _number(wanted)
    if left is not None and right is not None:
        return left == right
    return str(value) == str(wanted)


def holds(condition: "Condition | None", answers: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    if condition is None or not condition.terms:
        return True
    results = (term_holds(term, answers, facts) for term in condition.terms)
    return all(results) if condition.match == "all" else any(results)


def applicable_keys(definition, answers: Mapping[str, Any], facts: Mapping[str, Any] | None = None) -> set[str]:
    """The keys of the sections and questions that apply, given the answers and facts, in one pass in
    the form's order (a condition only names earlier questions). Section keys and question keys
    share the set (they never clash in use: callers ask about one kind)."""
    facts = facts or {}
    seen: dict[str, Any] = {}
    applies: set[str] = set()
    for section in definition.sections:
        section_applies = holds(section.condition, seen, facts)
        if section_applies:
            applies.add("section:" + section.key)
        for question in section.questions:
            if section_applies and holds(question.condition, seen, facts):
                applies.add(question.key)
                if question.key in answers:
                    seen[question.key] = answers[question.key]
    return applies


def section_applies(applies: set[str], section) -> bool:
    return "section:" + section.key in applies


def applicable_answers(definition, answers: Mapping[str, Any], facts: Mapping[str, Any] | None = None) -> dict:
    """Only the answers of questions that apply (answers of keys the form does not know are kept:
    they belong to nobody's condition)."""
    applies = applicable_keys(definition, answers, facts)
    known = {question.key for _section, question in definition.questions()}
    return {key: value for key, value in answers.items() if key in applies or key not in known}


# --- reading and checking --------------------------------------------------------------------------
def read_condition(data: Any, where: str, earlier: Mapping[str, Any], own_key: str | None) -> tuple[Any, list[str]]:
    """``data`` as a ``Condition`` with the errors found. ``earlier``: question key → Question of
    every question before this one (in the form's order)."""
    errors: list[str] = []
    if data is None:
        return None, errors
    if not isinstance(data, Mapping) or not isinstance(data.get("terms"), list) or not data["terms"]:
        return None, [gettext("%(where)s: vilkåret må ha minst ett ledd.") % {"where": where}]
    match = data.get("match", "all")
    if match not in MATCHES:
        errors.append(gettext("%(where)s: vilkåret må gjelde «alle» eller «minst ett» av leddene.") % {"where": where})
    unknown = set(data) - {"match", "terms"}
    if unknown:
        errors.append(
            gettext("%(where)s: ukjente felt %(names)s.") % {"where": where, "names": ", ".join(sorted(unknown))}
        )
    terms = []
    for raw in data["terms"]:
        term, term_errors = _read_term(raw, where, earlier, own_key)
        errors.extend(term_errors)
        if term is not None:
            terms.append(term)
    if errors:
        return None, errors
    return Condition(tuple(terms), match), []


def _read_term(raw: Any, where: str, earlier: Mapping[str, Any], own_key: str | None):
    if not isinstance(raw, Mapping):
        return None, [gettext("%(where)s: et ledd i vilkåret må være et objekt.") % {"where": where}]
    op = raw.get("op")
    values = raw.get("values", [])
    if "fact" in raw:
        fact = raw["fact"]
        if fact not in FACTS:
            return None, [gettext("%(where)s: vilkåret bruker en ukjent opplysning «%(fact)s».")
                          % {"where": where, "fact": fact}]  # fmt: skip
        if fact in NUMBER_FACTS:
            if op not in NUMBER_OPS or _number(raw.get("value")) is None or set(raw) - {"fact", "op", "value"}:
                return None, [gettext("%(where)s: «%(fact)s» må sammenlignes med et tall.")
                              % {"where": where, "fact": FACT_LABELS[fact]}]  # fmt: skip
            return Term(op=op, fact=fact, value=raw["value"]), []
        if op != "one-of" or not isinstance(values, list) or not values or set(raw) - {"fact", "op", "values"}:
            return None, [gettext("%(where)s: et vilkår på «%(fact)s» må velge minst én verdi.")
                          % {"where": where, "fact": FACT_LABELS[fact]}]  # fmt: skip
        return Term(op="one-of", fact=fact, values=tuple(str(v) for v in values)), []
    key = raw.get("question")
    if key is not None and key == own_key:
        return None, [gettext("%(where)s: vilkåret kan ikke handle om spørsmålet selv.") % {"where": where}]
    question = earlier.get(key) if isinstance(key, str) else None
    if question is None:
        return None, [gettext("%(where)s: vilkåret bruker «%(key)s», som ikke er et tidligere spørsmål i skjemaet.")
                      % {"where": where, "key": key}]  # fmt: skip
    if op not in QUESTION_OPS or set(raw) - {"question", "op", "value", "values"}:
        return None, [gettext("%(where)s: ukjent sammenligning «%(op)s» i vilkåret.") % {"where": where, "op": op}]
    if op in ("answered", "not-answered"):
        return Term(op=op, question=key), []
    if op in NUMBER_OPS:
        if question.type.key not in ("number", "amount") or _number(raw.get("value")) is None:
            return None, [gettext("%(where)s: «%(key)s» kan bare sammenlignes med et tall når det er et tallspørsmål.")
                          % {"where": where, "key": key}]  # fmt: skip
        return Term(op=op, question=key, value=raw["value"]), []
    wanted = [raw.get("value")] if op == "equals" else values
    if not isinstance(wanted, list) or not wanted:
        return None, [gettext("%(where)s: vilkåret må ha minst én verdi.") % {"where": where}]
    allowed = _allowed_values(question)
    for value in wanted:
        if allowed is not None and value not in allowed:
            return None, [gettext("%(where)s: «%(value)s» er ikke et mulig svar på «%(key)s».")
                          % {"where": where, "value": _plain(value), "key": key}]  # fmt: skip
    if op == "equals":
        return Term(op=op, question=key, value=wanted[0]), []
    return Term(op=op, question=key, values=tuple(wanted)), []


def _allowed_values(question) -> list | None:
    if question.type.key == "yes-no":
        return [True, False]
    if question.type.key in ("single-choice", "multiple-choice"):
        return [choice.get("value") for choice in question.params.get("choices", ())]
    return None


def _plain(value: Any) -> str:
    if value is True:
        return gettext("Ja")
    if value is False:
        return gettext("Nei")
    return str(value)


# --- in words --------------------------------------------------------------------------------------
def describe(
    condition: "Condition | None", questions: Mapping[str, Any], fact_values: Mapping[str, Mapping] | None = None
) -> str:
    """«Vises bare når: Kandidaten er tatt opp = Nei» (empty without a condition). ``questions``:
    key → Question (their labels and choice labels are used); ``fact_values``: fact → {value: label}."""
    if condition is None:
        return ""
    fact_values = fact_values or {}
    parts = [_term_text(term, questions, fact_values) for term in condition.terms]
    joiner = gettext(" og ") if condition.match == "all" else gettext(" eller ")
    return gettext("Vises bare når: %(terms)s") % {"terms": joiner.join(parts)}


def _term_text(term: Term, questions: Mapping[str, Any], fact_values: Mapping[str, Mapping]) -> str:
    if term.fact in NUMBER_FACTS:
        return f"{FACT_LABELS[term.fact]} {OP_SYMBOLS[term.op]} {term.value}"
    if term.fact:
        labels = fact_values.get(term.fact, {})
        return f"{FACT_LABELS[term.fact]} = " + gettext(" eller ").join(str(labels.get(v, v)) for v in term.values)
    question = questions.get(term.question)
    name = str(question.label) if question is not None else term.question
    if term.op == "answered":
        return gettext("%(q)s er besvart") % {"q": name}
    if term.op == "not-answered":
        return gettext("%(q)s er ikke besvart") % {"q": name}
    if term.op in NUMBER_OPS:
        return f"{name} {OP_SYMBOLS[term.op]} {term.value}"
    wanted = [term.value] if term.op == "equals" else list(term.values)
    return f"{name} = " + gettext(" eller ").join(_value_label(question, v) for v in wanted)


def _value_label(question, value: Any) -> str:
    if isinstance(value, bool):
        return _plain(value)
    if question is not None:
        for choice in question.params.get("choices", ()):
            if choice.get("value") == value:
                label = choice.get("label")
                if isinstance(label, Mapping):
                    from schemes.eligibility.text import LocalizedText

                    try:
                        return str(LocalizedText.from_json(label))
                    except (ValueError, TypeError):
                        break
    return str(value)


def uses_fact(definition, fact: str) -> bool:
    """Whether any condition of the form reads ``fact``."""
    conditions = [s.condition for s in definition.sections] + [q.condition for _s, q in definition.questions()]
    return any(term.fact == fact for condition in conditions if condition for term in condition.terms)


def facts_of(
    *,
    organisation_kind: str | None = None,
    stage: str | None = None,
    partner_kinds: Iterable[str] = (),
    own_funding_share: Decimal | None = None,
):
    """The facts conditions read, as ``holds`` wants them."""
    return {
        "organisation-kind": organisation_kind,
        "stage": stage,
        "partner-kind": tuple(partner_kinds) or None,
        "own-funding-share": own_funding_share,
    }


def own_funding_share(definition, answers: Mapping[str, Any]) -> Decimal | None:
    """Own funding in per cent of the costs of the form's first answered budget (None: no costs)."""
    from applications.budget import BudgetDataError, budget_from_json

    for _section, question in definition.questions():
        if question.type.key == "budget" and answers.get(question.key):
            try:
                budget = budget_from_json(answers[question.key])
            except BudgetDataError:
                return None
            if not budget.total_costs:
                return None
            return budget.own_funding * 100 / budget.total_costs
    return None


# --- as lines of text (the admin form editor) -----------------------------------------------------
# One term a line:  «kandidat-opptak = sokt, ikke-sokt»  «andel < 50»  «tittel er besvart»
# «tittel er ikke besvart»  «@organisasjonstype = kommune»  «@trinn = hovedprosjekt»
# «@partnertype = forskning»  «@egenfinansiering < 50».  Yes-no answers are written ja / nei.
TEXT_FACTS = {
    "organisasjonstype": "organisation-kind",
    "trinn": "stage",
    "partnertype": "partner-kind",
    "egenfinansiering": "own-funding-share",
}
TEXT_OPS = {"<": "lt", "<=": "le", "≤": "le", ">": "gt", ">=": "ge", "≥": "ge"}
_LINE = re.compile(r"^(@?[a-z0-9-]+)\s*(<=|>=|≤|≥|<|>|=)\s*(.+)$")


class ConditionTextError(ValueError):
    pass


def _text_value(value: str) -> Any:
    lowered = value.strip().lower()
    return {"ja": True, "nei": False, "yes": True, "no": False}.get(lowered, value.strip())


def condition_from_text(text: str, match: str = "all") -> dict | None:
    """The lines as a stored condition (None when empty). ``ConditionTextError`` names a bad line."""
    terms = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        answered = re.match(r"^([a-z0-9-]+)\s+er\s+(ikke\s+)?besvart$", line)
        if answered:
            terms.append({"question": answered[1], "op": "not-answered" if answered[2] else "answered"})
            continue
        found = _LINE.match(line)
        if not found:
            raise ConditionTextError(
                gettext("Linje %(n)s («%(line)s») er ikke et vilkår. Skriv for eksempel «kandidat-opptak = nei».")
                % {"n": number, "line": line}
            )
        name, symbol, value = found[1], found[2], found[3].strip()
        if name.startswith("@"):
            fact = TEXT_FACTS.get(name[1:])
            if fact is None:
                raise ConditionTextError(
                    gettext("Linje %(n)s: ukjent opplysning «%(name)s». Kjente: %(known)s.")
                    % {"n": number, "name": name, "known": ", ".join("@" + k for k in TEXT_FACTS)}
                )
            if symbol == "=":
                terms.append({"fact": fact, "op": "one-of", "values": [v.strip() for v in value.split(",")]})
            else:
                terms.append({"fact": fact, "op": TEXT_OPS[symbol], "value": _text_number(value)})
            continue
        if symbol == "=":
            values = [_text_value(v) for v in value.split(",")]
            term = {"question": name, "op": "equals", "value": values[0]} if len(values) == 1 else {
                "question": name, "op": "one-of", "values": values}  # fmt: skip
            terms.append(term)
        else:
            terms.append({"question": name, "op": TEXT_OPS[symbol], "value": _text_number(value)})
    return {"match": match, "terms": terms} if terms else None


def _text_number(value: str) -> Any:
    number = _number(value.replace(",", ".").replace(" ", ""))
    if number is None:
        return value
    return int(number) if number == number.to_integral_value() else float(number)


def condition_to_text(data: Any) -> str:
    """A stored condition as the editor's lines (empty without one)."""
    if not isinstance(data, Mapping):
        return ""
    names = {fact: name for name, fact in TEXT_FACTS.items()}
    symbols = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
    lines = []
    for term in data.get("terms", []):
        if not isinstance(term, Mapping):
            continue
        op = term.get("op")
        subject = "@" + names.get(term.get("fact"), str(term.get("fact"))) if "fact" in term else term.get("question")
        if op == "answered":
            lines.append(f"{subject} er besvart")
        elif op == "not-answered":
            lines.append(f"{subject} er ikke besvart")
        elif op in symbols:
            lines.append(f"{subject} {symbols[op]} {term.get('value')}")
        else:
            wanted = [term.get("value")] if op == "equals" else term.get("values", [])
            lines.append(f"{subject} = " + ", ".join(_text_plain(v) for v in wanted))
    return "\n".join(lines)


def _text_plain(value: Any) -> str:
    return {True: "ja", False: "nei"}.get(value, str(value)) if isinstance(value, bool) else str(value)
