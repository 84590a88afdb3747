"""Assert what a user perceives on a page, not how its markup happens to be laid out.

Parse the page once (lxml), then compare normalised text, roles, accessible names, labels and
attributes — so a template reindent, a changed class or attribute order breaks no test:

    doc = parse(response)                       # a response, bytes, str or an element
    assert "Søknaden er sendt inn." in visible_text(doc)
    assert texts(doc, "#resultater h3") == ["StimuLab"]
    assert ("Endre", "/soknader/1/") in links(doc)
    assert field_value(doc, "Virksomhet") == "helseforetak"
    assert table_rows(doc, "Budsjett")[1] == ["Utstyr", "600 000 kr"]

Every function takes what ``parse`` takes, so a single look-up needs no ``parse`` first.
Text is normalised as a reader meets it: runs of whitespace (no-break and narrow no-break spaces
included, as in «1 000 kr») become one space, ends trimmed; block elements and ``<br>`` separate
words, inline ones (``<strong>``, ``<span>`` …) do not. Scripts, styles, ``<template>``, the
``<head>`` and anything ``hidden`` are not text a user meets; text for screen readers only
(``ds-sr-only``) is, since a screen-reader user hears it. Selectors are CSS, or XPath when they
start with ``/``, ``./`` or ``(``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.html
from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from lxml.etree import ParserError, XPathError

__all__ = [
    "accessible_name",
    "by_role",
    "definitions",
    "field",
    "field_value",
    "has_link",
    "links",
    "normalise",
    "one",
    "parse",
    "select",
    "table_rows",
    "texts",
    "visible_text",
]

Element = lxml.html.HtmlElement

# Phrasing elements: text on either side of them runs on without a space («<b>1</b>0» reads «10»).
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "label", "mark",
    "output", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})  # fmt: skip
_NOT_TEXT = frozenset({"script", "style", "template", "head", "title", "meta", "link"})


def normalise(text: str | None) -> str:
    """Whitespace as a reader sees it: every run (NBSP and narrow NBSP too) one space, ends trimmed."""
    return " ".join((text or "").split())


def parse(html) -> Element:
    """The document (or fragment) as an lxml element: from a Django/test response, bytes, str or an
    element (returned as it is, so helpers can be chained without parsing twice)."""
    if isinstance(html, Element):
        return html
    if hasattr(html, "content"):  # a response
        html = html.content.decode(getattr(html, "charset", None) or "utf-8")
    elif isinstance(html, bytes):
        html = html.decode()
    if not html.strip():
        raise AssertionError("the page is empty")
    try:
        return lxml.html.document_fromstring(html)
    except ParserError as error:  # e.g. only a comment
        raise AssertionError(f"not HTML: {html[:200]!r}") from error


def select(html, selector: str) -> list[Element]:
    """Elements matching a CSS selector (or an XPath starting with ``/``, ``./`` or ``(``)."""
    root = parse(html)
    if selector.startswith(("/", "./", "(")):
        return [e for e in root.xpath(selector) if isinstance(e, Element)]
    return CSSSelector(selector)(root)


def one(html, selector: str) -> Element:
    """The single element matching ``selector``; fails with the count when there are none or several."""
    found = select(html, selector)
    if len(found) != 1:
        raise AssertionError(f"expected one element for {selector!r}, found {len(found)}")
    return found[0]


def _hidden(element) -> bool:
    if not isinstance(element.tag, str):  # comments and processing instructions
        return True
    if element.tag in _NOT_TEXT:
        return True
    if element.get("hidden") is not None and element.get("hidden") != "until-found":
        return True
    return element.tag == "input" and (element.get("type") or "").lower() == "hidden"


def _text_parts(element, out: list[str], *, with_alt: bool = False) -> None:
    if not _hidden(element):
        block = element.tag not in _INLINE
        if block:
            out.append(" ")
        if element.tag == "br":
            out.append(" ")
        if with_alt and element.tag == "img":
            out.append(element.get("alt") or "")
        out.append(element.text or "")
        for child in element:
            _text_parts(child, out, with_alt=with_alt)
        if block:
            out.append(" ")
    out.append(element.tail or "")


def _hidden_by_markup(element) -> bool:
    """Hidden by ``hidden`` or a ``<template>``, on the element or above it (a <title> or <script> that
    a selector picks by name is still read)."""
    return any(
        e.tag == "template" or e.get("hidden") not in (None, "until-found") for e in (element, *element.iterancestors())
    )


def _text_of(element, *, with_alt: bool = False) -> str:
    out: list[str] = [element.text or ""]
    for child in element:
        _text_parts(child, out, with_alt=with_alt)
    return normalise("".join(out))


def visible_text(html, selector: str | None = None) -> str:
    """The normalised text a user meets on the page (its ``<body>``), or in the elements matching
    ``selector`` (joined by a space)."""
    root = parse(html)
    if selector is not None:
        return " ".join(t for t in texts(root, selector) if t)
    body = root.find("body")
    return _text_of(body if body is not None else root)


def texts(html, selector: str) -> list[str]:
    """The normalised text of each element matching ``selector`` that is not hidden, in document order."""
    return [_text_of(e) for e in select(html, selector) if not _hidden_by_markup(e)]


# --- roles and accessible names --------------------------------------------------------------

_INPUT_ROLES = {
    "button": "button", "submit": "button", "reset": "button", "image": "button",
    "checkbox": "checkbox", "radio": "radio", "number": "spinbutton", "range": "slider",
    "search": "searchbox", "email": "textbox", "tel": "textbox", "text": "textbox", "url": "textbox",
    "password": "textbox", "date": "textbox",
}  # fmt: skip
_TAG_ROLES = {
    "button": "button", "textarea": "textbox", "nav": "navigation", "main": "main", "form": "form",
    "ul": "list", "ol": "list", "li": "listitem", "table": "table", "tr": "row", "td": "cell",
    "th": "columnheader", "img": "img", "dialog": "dialog", "fieldset": "group", "aside": "complementary",
    "header": "banner", "footer": "contentinfo", "progress": "progressbar", "option": "option",
}  # fmt: skip


def role_of(element) -> str | None:
    """The element's ARIA role: an explicit ``role`` or the implicit one of its tag."""
    if element.get("role"):
        return element.get("role").split()[0]
    tag = element.tag
    if tag == "a":
        return "link" if element.get("href") is not None else None
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "heading"
    if tag == "input":
        return _INPUT_ROLES.get((element.get("type") or "text").lower())
    if tag == "select":
        multiple = element.get("multiple") is not None or int(element.get("size") or 1) > 1
        return "listbox" if multiple else "combobox"
    if tag == "section" and (element.get("aria-label") or element.get("aria-labelledby")):
        return "region"
    return _TAG_ROLES.get(tag)


def _labels_for(element) -> list[Element]:
    root = element.getroottree().getroot()
    found = []
    if element.get("id"):
        found = [label for label in root.iter("label") if label.get("for") == element.get("id")]
    wrapping = next((a for a in element.iterancestors("label")), None)
    if wrapping is not None and wrapping not in found:
        found.append(wrapping)
    return found


def accessible_name(element) -> str:
    """The name assistive technology announces (simplified from the accname rules): aria-labelledby,
    aria-label, the ``<label>``s of a form field, a fieldset's legend, an image's alt, a button's
    value, a table's caption; else the element's own text (images' alt text included)."""
    root = element.getroottree().getroot()
    if element.get("aria-labelledby"):
        parts = [root.get_element_by_id(i, None) for i in element.get("aria-labelledby").split()]
        return normalise(" ".join(_text_of(p, with_alt=True) for p in parts if p is not None))
    if element.get("aria-label"):
        return normalise(element.get("aria-label"))
    tag = element.tag
    if tag in ("input", "select", "textarea"):
        kind = (element.get("type") or "").lower()
        if tag == "input" and kind in ("submit", "reset", "button"):
            return normalise(element.get("value") or {"submit": "Submit", "reset": "Reset"}.get(kind, ""))
        if tag == "input" and kind == "image":
            return normalise(element.get("alt") or element.get("value"))
        labels = _labels_for(element)
        if labels:
            return normalise(" ".join(_text_of(label, with_alt=True) for label in labels))
        return normalise(element.get("title") or element.get("placeholder"))
    if tag == "fieldset":
        legend = element.find("legend")
        return _text_of(legend, with_alt=True) if legend is not None else ""
    if tag == "table":
        caption = element.find("caption")
        return _text_of(caption, with_alt=True) if caption is not None else ""
    if tag == "img":
        return normalise(element.get("alt"))
    return _text_of(element, with_alt=True) or normalise(element.get("title"))


def _name_matches(name: str, wanted) -> bool:
    if wanted is None:
        return True
    if isinstance(wanted, re.Pattern):
        return wanted.search(name) is not None
    return name == normalise(wanted)


def by_role(html, role: str, name: str | re.Pattern | None = None, *, level: int | None = None) -> list[Element]:
    """Elements with ``role`` (explicit or implicit: link, button, heading, textbox, combobox, checkbox,
    radio, table, navigation …) whose accessible name is ``name`` (whole and normalised; a compiled
    regex is searched instead), hidden ones left out; ``level`` picks headings of that level."""
    found = []
    for element in parse(html).iter():
        if not isinstance(element.tag, str) or role_of(element) != role:
            continue
        if any(_hidden(e) for e in (element, *element.iterancestors())):
            continue
        if level is not None and element.tag != f"h{level}" and element.get("aria-level") != str(level):
            continue
        if _name_matches(accessible_name(element), name):
            found.append(element)
    return found


def links(html) -> list[tuple[str, str]]:
    """Every visible link as (accessible name, href), in document order."""
    return [(accessible_name(a), a.get("href")) for a in by_role(html, "link")]


def has_link(html, text: str | re.Pattern, href: str | None = None) -> bool:
    """Whether a link named ``text`` is on the page (pointing at ``href`` when given)."""
    return any(href is None or a.get("href") == href for a in by_role(html, "link", text))


# --- forms ------------------------------------------------------------------------------------

_FIELD_TAGS = ("input", "select", "textarea", "fieldset")


def field(html, label: str | re.Pattern) -> Element:
    """The one form field (or fieldset of radios/checkboxes) labelled ``label``; fails listing the
    labels on the page when there is none, or when several carry the label."""
    root = parse(html)
    candidates = [
        e
        for e in root.iter(*_FIELD_TAGS)
        if (e.tag != "input" or (e.get("type") or "").lower() not in ("hidden", "submit", "button", "reset"))
    ]
    found = [e for e in candidates if _name_matches(accessible_name(e), label)]
    if len(found) != 1:
        names = sorted({accessible_name(e) for e in candidates} - {""})
        raise AssertionError(f"{len(found)} fields labelled {label!r}; the labels are: {names}")
    return found[0]


def field_value(html, label: str | re.Pattern):
    """What the field labelled ``label`` would submit: an input's or textarea's text; a select's chosen
    value (a list for ``multiple``); a checkbox's or radio's value when checked, else None; for a
    fieldset (a group of radios or checkboxes, labelled by its legend) the checked value, or the list
    of checked values when the group holds checkboxes."""
    element = field(html, label)
    if element.tag == "textarea":
        # A browser drops the newline that follows <textarea> (Django writes one); lxml keeps it.
        return (element.text or "").removeprefix("\r").removeprefix("\n")
    if element.tag == "select":
        options = list(element.iter("option"))
        chosen = [o.get("value", normalise(o.text_content())) for o in options if o.get("selected") is not None]
        if element.get("multiple") is not None:
            return chosen
        if not chosen:  # a browser picks the first option
            return options[0].get("value", normalise(options[0].text_content())) if options else None
        return chosen[-1]
    if element.tag == "fieldset":
        boxes = [i for i in element.iter("input") if (i.get("type") or "").lower() in ("checkbox", "radio")]
        checked = [i.get("value", "on") for i in boxes if i.get("checked") is not None]
        if any((i.get("type") or "").lower() == "checkbox" for i in boxes):
            return checked
        return checked[0] if checked else None
    if (element.get("type") or "").lower() in ("checkbox", "radio"):
        return element.get("value", "on") if element.get("checked") is not None else None
    return element.get("value", "")


# --- tables and description lists ------------------------------------------------------------


def definitions(html, selector: str = "dl") -> dict[str, str]:
    """A description list (the first matching ``selector``) as {term: description}, both normalised;
    several descriptions of one term are joined by a space."""
    found = select(html, selector)
    if not found:
        raise AssertionError(f"no description list for {selector!r}")
    result: dict[str, str] = {}
    term = None
    for element in found[0].iter("dt", "dd"):
        if element.tag == "dt":
            term = _text_of(element)
            result[term] = ""
        elif term is not None:
            result[term] = normalise(f"{result[term]} {_text_of(element)}")
    return result


def _own_rows(table) -> Iterable[Element]:
    for row in table.iter("tr"):
        if next(row.iterancestors("table")) is table:
            yield row


def table_rows(html, caption_or_selector: str) -> list[list[str]]:
    """The rows of a table — the one whose caption (or aria-label/labelledby) is
    ``caption_or_selector``, else the one the selector matches — each as its cells' normalised text
    (header cells included, in order)."""
    root = parse(html)
    tables = [t for t in root.iter("table") if accessible_name(t) == normalise(caption_or_selector)]
    if not tables:
        try:
            tables = [t for t in select(root, caption_or_selector) if t.tag == "table"]
        except (SelectorError, XPathError):  # a caption that is no selector: say below what tables there are
            tables = []
    if len(tables) != 1:
        captions = [accessible_name(t) for t in root.iter("table")]
        raise AssertionError(f"{len(tables)} tables for {caption_or_selector!r}; the page's tables: {captions}")
    return [[_text_of(cell) for cell in row if cell.tag in ("td", "th")] for row in _own_rows(tables[0])]
