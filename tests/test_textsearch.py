"""portal.textsearch: the words a text is stored as, and the stems a query looks for."""

from portal.textsearch import MAX_QUERY_WORDS, ParsedQuery, parse_query, query_words, search_document


def test_a_document_is_its_norwegian_and_english_stems_once_each_between_spaces():
    document = search_document(
        norwegian=["Innovasjonspartnerskapet og anskaffelsene", "Bærekraftige anskaffelser"],
        english=["Sustainable procurements"],
    )
    assert document == " anskaff bærekraft innovasjonspartnerskap og procur sustain "
    assert search_document(norwegian=["", "  "], english=[""]) == ""


def test_a_hyphenated_compound_is_stored_as_its_parts_and_as_one_word():
    assert search_document(norwegian=["E-helse"]) == " e ehels hels "


def test_inflected_definite_and_plural_forms_look_for_the_same_stem():
    stems = {word: query_words(word)[0] for word in [
        "innovasjonspartnerskap", "innovasjonspartnerskapet", "Innovasjonspartnerskapene", "anskaffelse",
        "anskaffelsen", "anskaffelsene", "anskaffelser", "bærekraft", "bærekraftig", "BÆREKRAFTIGE",
    ]}  # fmt: skip
    assert {word: "innovasjonspartnerskap" in stem for word, stem in stems.items() if "partner" in word.lower()} == {
        "innovasjonspartnerskap": True, "innovasjonspartnerskapet": True, "Innovasjonspartnerskapene": True,
    }  # fmt: skip
    assert all("anskaff" in stem for word, stem in stems.items() if word.startswith("anskaff"))
    assert all("bærekraft" in stem for word, stem in stems.items() if word.lower().startswith("bærekraft"))


def test_each_query_word_is_tried_with_its_norwegian_and_its_english_stem():
    assert query_words("procurements kommunene") == [
        frozenset({"procurement", "procur"}), frozenset({"kommun", "kommunen"}),
    ]  # fmt: skip


def test_stop_words_are_not_required_unless_the_query_has_nothing_else():
    assert query_words("innovasjon i offentlig sektor") == [
        frozenset({"innovasjon"}), frozenset({"offent", "offentlig"}), frozenset({"sektor"}),
    ]  # fmt: skip
    assert query_words("og") == [frozenset({"og"})]


def test_punctuation_and_operators_are_not_words():
    assert query_words('"(((  - & | !') == []
    assert query_words("Ph.d.-stipend") == [frozenset({"ph"}), frozenset({"d"}), frozenset({"stipend"})]
    assert query_words("a & b | !c") == [frozenset({"a"}), frozenset({"b"}), frozenset({"c"})]


def test_a_long_query_is_cut_to_a_bounded_number_of_words():
    words = query_words(" ".join(f"ord{n}" for n in range(50)))
    assert len(words) == MAX_QUERY_WORDS


def test_the_web_search_syntax_still_works():
    assert parse_query("tjenestedesign or anskaffelser -stimulab") == ParsedQuery(
        required=(frozenset({"tjenestedesign", "anskaff", "anskaffels"}),), excluded=(frozenset({"stimulab"}),)
    )
    assert parse_query('"offentlig sektor"').required == (frozenset({"offent", "offentlig"}), frozenset({"sektor"}))
    assert parse_query("stimulab OR") == ParsedQuery(required=(frozenset({"stimulab"}),), excluded=())
    assert parse_query("OR stimulab -") == ParsedQuery(required=(frozenset({"stimulab"}),), excluded=())
