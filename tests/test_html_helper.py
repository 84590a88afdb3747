"""tests/html.py: the assertion helper reads a page as a user would, whatever the markup's layout."""

import re

import pytest
from django.http import HttpResponse

from tests.html import (
    accessible_name,
    by_role,
    definitions,
    field,
    field_value,
    has_link,
    links,
    normalise,
    one,
    parse,
    select,
    table_rows,
    texts,
    visible_text,
)

PAGE = """<!doctype html>
<html lang="nb">
<head><title>Søknad – Innovasjonsportalen</title><style>p { color: red }</style></head>
<body>
  <script>var skjult = "ikke tekst";</script>
  <template><p>Mal</p></template>
  <nav aria-label="Hovedmeny">
    <a href="/">Forsiden</a>
    <a href="/ordninger/">
      Ordninger
    </a>
    <a href="/hjelp/" hidden>Hjelp</a>
    <a href="/profil/"><img src="/p.png" alt="Min profil"></a>
    <a>Uten adresse</a>
  </nav>
  <main>
    <h1>
      Digital   tilsynsassistent
    </h1>
    <h2 class="ds-heading">Budsjett</h2>
    <p>Søkt beløp: <strong>600&nbsp;000</strong>&nbsp;kr<br>Frist 1. mars</p>
    <p hidden>Skjult melding</p>
    <span class="ds-sr-only">for skjermlesere</span>
    <table>
      <caption>Kostnader per år</caption>
      <thead><tr><th>Post</th><th>2027</th></tr></thead>
      <tbody>
        <tr><th scope="row">Utstyr</th><td>
          1 000 kr
        </td></tr>
        <tr><td>Lønn</td><td><table><tr><td>indre</td></tr></table></td></tr>
      </tbody>
    </table>
    <dl class="fakta"><dt>Status</dt><dd>
      Utkast</dd><dt>Frist</dt><dd>22.11.2026 kl. 13:00</dd><dd><strong>(3 dager igjen)</strong></dd></dl>
    <table class="andre"><tr><td>Annen</td></tr></table>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="x">
      <label class="ds-label" for="id_tittel">Tittel</label>
      <input id="id_tittel" name="tittel" value="Digital tilsynsassistent">
      <label for="id_sammendrag">Sammendrag (valgfritt)</label>
      <textarea id="id_sammendrag" name="sammendrag">
Første linje
andre linje</textarea>
      <label for="id_virksomhet">Virksomhet</label>
      <select id="id_virksomhet" name="virksomhet">
        <option value="">– Velg –</option>
        <option value="helseforetak" selected>Helseforetak</option>
      </select>
      <label for="id_tema">Tema</label>
      <select id="id_tema" name="tema" multiple>
        <option value="a" selected>A</option><option value="b">B</option><option value="c" selected>C</option>
      </select>
      <label for="id_tom">Tom liste</label>
      <select id="id_tom" name="tom"><option value="1">En</option><option value="2">To</option></select>
      <fieldset><legend>Delt behov?</legend>
        <input type="radio" id="r1" name="delt" value="ja"><label for="r1">Ja</label>
        <input type="radio" id="r2" name="delt" value="nei" checked><label for="r2">Nei</label>
      </fieldset>
      <fieldset><legend>Bærekraftsmål</legend>
        <label><input type="checkbox" name="mal" value="3" checked> God helse</label>
        <label><input type="checkbox" name="mal" value="11"> Byer</label>
      </fieldset>
      <label><input type="checkbox" name="samtykke"> Jeg samtykker</label>
      <input aria-label="Søk i ordninger" type="search" name="q" value="">
      <span id="belop-navn">Beløp</span><input aria-labelledby="belop-navn" type="number" name="belop" value="5">
      <button type="submit" name="lagre">
        Lagre   utkast
      </button>
      <input type="submit" value="Send inn">
    </form>
  </main>
</body>
</html>"""


def test_normalise_collapses_every_kind_of_space():
    assert normalise("\n  StimuLab\n") == "StimuLab"
    assert normalise("1\xa0000\u202fkr\t\n") == "1 000 kr"
    assert normalise(None) == ""


def test_parse_takes_a_response_bytes_str_or_an_element():
    doc = parse(PAGE)
    assert parse(doc) is doc
    assert texts(parse(PAGE.encode()), "h1") == texts(parse(HttpResponse(PAGE)), "h1") == ["Digital tilsynsassistent"]
    assert texts("<li>En</li><li>To</li>", "li") == ["En", "To"]  # a fragment, as htmx swaps in
    with pytest.raises(AssertionError, match="empty"):
        parse(b"  ")


def test_visible_text_is_what_a_reader_meets():
    text = visible_text(PAGE)
    assert "Digital tilsynsassistent Budsjett" in text  # blocks separate words, whitespace collapsed
    assert "Søkt beløp: 600 000 kr Frist 1. mars" in text  # inline runs on; <br> separates; NBSP a space
    assert "for skjermlesere" in text  # screen-reader text is heard
    for absent in ("ikke tekst", "color", "Mal", "Skjult melding", "Hjelp", "Innovasjonsportalen", "csrf"):
        assert absent not in text
    assert visible_text(PAGE, "p") == "Søkt beløp: 600 000 kr Frist 1. mars"  # the hidden <p> gives nothing
    assert texts(PAGE, "title") == ["Søknad – Innovasjonsportalen"]  # asked for by name, it is read


def test_texts_and_select_take_css_or_xpath():
    assert texts(PAGE, "nav a") == ["Forsiden", "Ordninger", "", "Uten adresse"]  # not the hidden link
    assert texts(PAGE, "//h2") == texts(PAGE, "h2.ds-heading") == ["Budsjett"]
    assert [e.get("value") for e in select(PAGE, "(//option)[2]")] == ["helseforetak"]
    assert one(PAGE, "h1").tag == "h1"
    with pytest.raises(AssertionError, match="found 2"):
        one(PAGE, "h1, h2")


def test_roles_and_accessible_names():
    assert [accessible_name(e) for e in by_role(PAGE, "heading")] == ["Digital tilsynsassistent", "Budsjett"]
    assert len(by_role(PAGE, "heading", level=2)) == 1
    assert len(by_role(PAGE, "navigation", "Hovedmeny")) == 1
    assert [accessible_name(b) for b in by_role(PAGE, "button")] == ["Lagre utkast", "Send inn"]
    assert by_role(PAGE, "button", re.compile("utkast"))[0].get("name") == "lagre"
    assert by_role(PAGE, "textbox", "Tittel")[0].get("name") == "tittel"
    assert by_role(PAGE, "searchbox", "Søk i ordninger")[0].get("name") == "q"
    assert by_role(PAGE, "spinbutton", "Beløp")[0].get("name") == "belop"
    assert by_role(PAGE, "checkbox", "God helse")[0].get("value") == "3"
    assert by_role(PAGE, "combobox", "Virksomhet") and by_role(PAGE, "listbox", "Tema")
    assert by_role(PAGE, "group", "Delt behov?")
    assert not by_role(PAGE, "heading", "Digital")  # a name is matched whole; use a regex for part of it


def test_links_skip_hidden_ones_and_anchors_without_href_and_name_images_by_alt():
    assert links(PAGE) == [("Forsiden", "/"), ("Ordninger", "/ordninger/"), ("Min profil", "/profil/")]
    assert has_link(PAGE, "Ordninger")
    assert has_link(PAGE, "Ordninger", href="/ordninger/")
    assert not has_link(PAGE, "Ordninger", href="/")
    assert not has_link(PAGE, "Hjelp")
    assert not has_link(PAGE, "Uten adresse")


def test_field_values_are_what_the_form_would_send():
    assert field_value(PAGE, "Tittel") == "Digital tilsynsassistent"
    assert field_value(PAGE, "Sammendrag (valgfritt)") == "Første linje\nandre linje"
    assert field_value(PAGE, "Virksomhet") == "helseforetak"
    assert field_value(PAGE, "Tema") == ["a", "c"]
    assert field_value(PAGE, "Tom liste") == "1"  # nothing selected: the browser sends the first
    assert field_value(PAGE, "Delt behov?") == "nei"
    assert field_value(PAGE, "Bærekraftsmål") == ["3"]
    assert field_value(PAGE, "God helse") == "3"
    assert field_value(PAGE, "Byer") is None
    assert field_value(PAGE, "Jeg samtykker") is None
    assert field_value(PAGE, "Beløp") == "5"
    assert field(PAGE, re.compile("^Sammendrag")).tag == "textarea"
    with pytest.raises(AssertionError, match=r"0 fields labelled 'Navn'; the labels are: \[.*'Tittel'"):
        field(PAGE, "Navn")


def test_table_rows_by_caption_or_selector():
    assert table_rows(PAGE, "Kostnader per år") == [
        ["Post", "2027"],
        ["Utstyr", "1 000 kr"],
        ["Lønn", "indre"],  # a nested table's rows are its own
    ]
    assert table_rows(PAGE, "table.andre") == [["Annen"]]
    with pytest.raises(AssertionError, match=r"0 tables for 'Inntekter'; the page's tables: \['Kostnader per år'"):
        table_rows(PAGE, "Inntekter")


def test_definitions_read_a_description_list():
    assert definitions(PAGE) == {"Status": "Utkast", "Frist": "22.11.2026 kl. 13:00 (3 dager igjen)"}
    assert definitions(PAGE, "dl.fakta")["Status"] == "Utkast"
    with pytest.raises(AssertionError, match="no description list"):
        definitions(PAGE, "dl.ingen")
