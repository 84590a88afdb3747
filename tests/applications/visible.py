"""What a person sees on a page, from its HTML: the text (tags dropped, whitespace normalised, the
<head>, scripts and styles left out), and the controls (links and buttons with their names)."""

import re
from html.parser import HTMLParser

_SKIP = {"head", "script", "style", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.parts: list[str] = []
        self.open: list[tuple[str, dict, list[str]]] = []  # links and buttons being read
        self.controls: list[dict] = []
        self.forms: list[str] = []  # the action of each form around the current position

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SKIP:
            self.skipping += 1
        if tag == "form":
            self.forms.append(attrs.get("action") or "")
        if tag in ("a", "button"):
            self.open.append((tag, attrs, []))
        if tag in ("br", "p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "div"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(self.skipping - 1, 0)
        if tag == "form" and self.forms:
            self.forms.pop()
        if tag in ("a", "button") and self.open and self.open[-1][0] == tag:
            kind, attrs, text = self.open.pop()
            self.controls.append(
                {
                    "role": "link" if kind == "a" else "button",
                    "name": normalise(attrs.get("aria-label") or "".join(text)),
                    "href": attrs.get("href", ""),
                    "form_action": self.forms[-1] if self.forms and kind == "button" else "",
                }
            )

    def handle_data(self, data):
        if self.skipping:
            return
        self.parts.append(data)
        for _kind, _attrs, text in self.open:
            text.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def text(html: str) -> str:
    """The page's visible text, whitespace normalised."""
    return normalise("".join(read(html).parts))


def controls(html: str) -> list[dict]:
    """Every link and button: ``role``, accessible ``name``, ``href``, and a button's ``form_action``."""
    return read(html).controls


def control_names(html: str) -> list[str]:
    return [control["name"] for control in controls(html)]


def table_rows(html: str) -> list[list[str]]:
    """The text of each body row's cells (``<td>``), whitespace normalised; rows without cells left out."""
    rows: list[list[str]] = []

    class _Table(HTMLParser):
        cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                rows.append([])
            elif tag == "td":
                self.cell = []
            elif tag == "br" and self.cell is not None:
                self.cell.append(" ")

        def handle_endtag(self, tag):
            if tag == "td" and self.cell is not None:
                rows[-1].append(normalise("".join(self.cell)))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    _Table(convert_charrefs=True).feed(html)
    return [row for row in rows if row]
