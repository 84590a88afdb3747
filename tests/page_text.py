"""What a reader sees on a page, from its HTML with the standard library's parser: the text with
whitespace normalised, the texts of given elements, the values of the text fields."""

from html.parser import HTMLParser

_HIDDEN = {"script", "style", "template"}
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "label", "mark", "q", "s",
           "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}  # fmt: skip
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def normalise(text: str) -> str:
    return " ".join(text.split())


class _Reader(HTMLParser):
    def __init__(self, tags: set[str]):
        super().__init__(convert_charrefs=True)
        self.tags = tags
        self.parts: list[str] = []
        self.elements: list[tuple[str, str]] = []  # (tag, normalised text) of each element in ``tags``
        self.inputs: dict[str, str] = {}
        self._open: list[tuple[str, list[str]]] = []
        self._hidden = 0
        self._in_title = False

    def _boundary(self, tag):
        if tag not in _INLINE:  # a block's text never runs into the next one's
            self.handle_data(" ")

    def handle_starttag(self, tag, attrs):
        self._boundary(tag)
        if tag == "input":
            attributes = dict(attrs)
            if attributes.get("name"):
                self.inputs[attributes["name"]] = attributes.get("value") or ""
        if tag in _VOID:
            return
        if tag in _HIDDEN:
            self._hidden += 1
        self._in_title = self._in_title or tag == "title"
        if tag in self.tags:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        self._boundary(tag)
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        if tag == "title":
            self._in_title = False
        if tag in self.tags and self._open and self._open[-1][0] == tag:
            _tag, parts = self._open.pop()
            self.elements.append((tag, normalise("".join(parts))))

    def handle_data(self, data):
        if self._hidden:
            return
        if not self._in_title:  # the tab's name, not the page's text
            self.parts.append(data)
        for _tag, parts in self._open:
            parts.append(data)


def read(html: str, tags: set[str] | frozenset[str] = frozenset()) -> _Reader:
    reader = _Reader(set(tags))
    reader.feed(html)
    reader.close()
    return reader


def page_text(html: str) -> str:
    """The page's visible text, whitespace normalised (scripts, styles and the <title> left out)."""
    return normalise("".join(read(html).parts))


def texts_of(html: str, tag: str) -> list[str]:
    """The normalised text of every ``tag`` element, in document order of their ends."""
    return [text for _tag, text in read(html, {tag}).elements]


def input_values(html: str) -> dict[str, str]:
    """``{name: value}`` of the page's <input> elements, as the browser shows them."""
    return read(html).inputs
