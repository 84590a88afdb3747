"""Free-text search that gives the same answers on PostgreSQL and SQLite.

Texts are cut into words, lower-cased and stemmed in Python with Snowball (the stemmer behind
PostgreSQL's ``norwegian`` and ``english`` text search configurations), and the stems are stored
beside the rows they describe as one space-separated string (``" bærekraft innovasjon kommun "``).
A query is stemmed the same way and matched with a plain ``LIKE '% stem %'``, so «bærekraftige»,
«anskaffelsene» and «innovasjonspartnerskapet» find «bærekraft», «anskaffelser» and
«Innovasjonspartnerskap» on either database, with identical hits and order.

Norwegian texts (bokmål and nynorsk) are stemmed as Norwegian, English texts as English; each
query word is tried with both stems. Queries take the web-search syntax («or», «-word»).
Norwegian stop words («og», «i», «for» — PostgreSQL's list) are left out of a query that has other
words, so «innovasjon i offentlig sektor» does not require the «i»; alone they are searched for as
written.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

import snowballstemmer
from django.db.models import Q

MAX_QUERY_WORDS = 10  # bounds the SQL a query can produce

# Words: runs of letters and digits; a hyphenated compound («e-helse») is one word whose parts
# are also words. Everything else (dots in «ph.d.», quotes, operators) separates words.
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

# PostgreSQL's tsearch_data/norwegian.stop (from Snowball), bokmål and nynorsk.
NORWEGIAN_STOP_WORDS = frozenset(
    """og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men ett har om vi
    min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv sjøl
    her alle vil bli ble blei blitt kunne inn når være kom noen noe ville dere deres kun ja etter ned skulle
    denne for deg si sine sitt mot å meget hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken
    hvilke sånn inni mellom vår hver hvem vors hvis både bare enn fordi før mange også slik vært båe begge
    siden dykk dykkar dei deira deires deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar hennes
    hoss hossen ingi inkje korleis korso kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje no nokon
    noka nokor noko nokre sia sidan so somt somme um upp vere vore verte vort varte vart""".split()  # noqa: SIM905 - the file as PostgreSQL has it
)

_NORWEGIAN = snowballstemmer.stemmer("norwegian")
_ENGLISH = snowballstemmer.stemmer("english")


def _words(text: str) -> list[str]:
    """Hyphenated compounds as they are, lower-cased («E-helse» → «e-helse»)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or "").casefold())


def search_document(*, norwegian: Iterable[str] = (), english: Iterable[str] = ()) -> str:
    """The stems of the texts, each once, sorted, between spaces (empty when there are none).

    A hyphenated compound is stored as its parts and as one word («e-helse» → «e», «helse»,
    «ehelse»), so «ehelse» and «e-helse» both find it."""
    stems: set[str] = set()
    for stemmer, texts in ((_NORWEGIAN, norwegian), (_ENGLISH, english)):
        for text in texts:
            for word in _words(text):
                parts = word.split("-")
                stems.update(stemmer.stemWords(parts if len(parts) == 1 else [*parts, "".join(parts)]))
    return f" {' '.join(sorted(stems))} " if stems else ""


@dataclass(frozen=True)
class ParsedQuery:
    """``required``: for each word (or «a or b»), the stems that may stand for it — every one must
    be found; ``excluded``: words written with a minus («-stimulab»), none may be found."""

    required: tuple[frozenset[str], ...]
    excluded: tuple[frozenset[str], ...]


def _stems(word: str) -> frozenset[str]:
    return frozenset({_NORWEGIAN.stemWord(word), _ENGLISH.stemWord(word)})


def parse_query(query: str) -> ParsedQuery:
    """The query in the web-search syntax the catalogue has always taken: words, «or» between
    alternatives, «-word» to leave out; quotes are accepted, and their words are required (stems
    carry no word order). Each word is tried with its Norwegian and its English stem. Stop words
    are dropped when other words remain."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    for chunk in query.replace('"', " ").split():
        if chunk.casefold() == "or":
            join_next = bool(groups)
            continue
        words = [part for word in _words(chunk.removeprefix("-")) for part in word.split("-")]
        if chunk.startswith("-"):
            excluded += words
        elif words and join_next:
            groups[-1] += words[:1]
            groups += [[word] for word in words[1:]]
        else:
            groups += [[word] for word in words]
        join_next = False
    content = [group for group in groups if not set(group) <= NORWEGIAN_STOP_WORDS]
    required = list(dict.fromkeys(frozenset().union(*map(_stems, group)) for group in content or groups))
    return ParsedQuery(
        required=tuple(required[:MAX_QUERY_WORDS]),
        excluded=tuple(dict.fromkeys(map(_stems, excluded)))[:MAX_QUERY_WORDS],
    )


def query_words(query: str) -> list[frozenset[str]]:
    """The required words of ``query`` as their stems (``parse_query``)."""
    return list(parse_query(query).required)


def contains_word(field: str, stems: frozenset[str]) -> Q:
    """Rows whose stored document ``field`` holds one of ``stems`` (as a whole stem)."""
    return reduce(or_, (Q(**{f"{field}__contains": f" {stem} "}) for stem in sorted(stems)))
