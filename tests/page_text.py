"""What a reader sees on a page, from its HTML with the standard library's parser: the text with
whitespace normalised, the elements with their attributes and text, the values of the text fields,
and the accessible name a button or link gets from its text or ``aria-labelledby``."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

_HIDDEN = {"script", "style", "template"}
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "label", "mark", "q", "s",
           "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}  # fmt: skip
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return normalise("".join(self.parts))


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.elements: list[Element] = []  # in document order of their start
        self.inputs: dict[str, str] = {}
        self._open: list[Element] = []
        self._hidden = 0
        self._in_title = False

    def _boundary(self, tag):
        if tag not in _INLINE:  # a block's text never runs into the next one's
            self.handle_data(" ")

    def handle_starttag(self, tag, attrs):
        self._boundary(tag)
        attributes = {name: value or "" for name, value in attrs}
        if tag == "input" and attributes.get("name"):
            self.inputs[attributes["name"]] = attributes.get("value", "")
        element = Element(tag, attributes)
        self.elements.append(element)
        if tag in _VOID:
            return
        if tag in _HIDDEN:
            self._hidden += 1
        self._in_title = self._in_title or tag == "title"
        self._open.append(element)

    def handle_endtag(self, tag):
        self._boundary(tag)
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        if tag == "title":
            self._in_title = False
        if any(element.tag == tag for element in self._open):  # closes what was left open inside it too
            while self._open.pop().tag != tag:
                pass

    def handle_data(self, data):
        if self._hidden:
            return
        if not self._in_title:  # the tab's name, not the page's text
            self.parts.append(data)
        for element in self._open:
            element.parts.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def page_text(html: str) -> str:
    """The page's visible text, whitespace normalised (scripts, styles and the <title> left out)."""
    return normalise("".join(read(html).parts))


def elements(html: str, tag: str) -> list[Element]:
    return [element for element in read(html).elements if element.tag == tag]


def texts_of(html: str, tag: str) -> list[str]:
    """The normalised text of every ``tag`` element, in document order."""
    return [element.text for element in elements(html, tag)]


def input_values(html: str) -> dict[str, str]:
    """``{name: value}`` of the page's <input> elements, as the browser shows them."""
    return read(html).inputs


def accessible_names(html: str, tag: str) -> list[str]:
    """The name each ``tag`` element (button, link) is announced by: the texts of the elements its
    ``aria-labelledby`` lists, else its ``aria-label``, else its own text."""
    page = read(html)
    by_id = {element.attrs["id"]: element for element in page.elements if element.attrs.get("id")}
    names = []
    for element in page.elements:
        if element.tag != tag:
            continue
        if element.attrs.get("aria-labelledby"):
            names.append(" ".join(by_id[ref].text for ref in element.attrs["aria-labelledby"].split()))
        else:
            names.append(element.attrs.get("aria-label") or element.text)
    return names
