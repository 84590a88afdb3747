import pytest

from attachments.names import MAX_NAME_LENGTH, safe_display_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Søknad om støtte – Ås kommune.pdf", "Søknad om støtte – Ås kommune.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("/etc/shadow.pdf", "shadow.pdf"),
        ("C:\\Users\\ola\\budsjett.xlsx", "budsjett.xlsx"),
        ("C:budsjett.xlsx", "C_budsjett.xlsx"),
        ("rapport\u202efdp.exe", "rapportfdp.exe"),  # the RTL override that shows "exe.pdf"
        ("inn\x00hold\x07.pdf", "innhold.pdf"),
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("  mange    mellom\trom\n.pdf  ", "mange mellom rom.pdf"),
        (".htaccess", "vedlegg.htaccess"),
        ("...pdf", "vedlegg.pdf"),
        (".pdf", "vedlegg.pdf"),
        ("../", "vedlegg"),
        ("", "vedlegg"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1.txt.pdf", "_lpt1.txt.pdf"),
        ("spørsmål?.PDF", "spørsmål_.pdf"),
        ('a<b>"c"|d*.pdf', "a_b__c__d_.pdf"),
        ("slutt med punktum.pdf.", "slutt med punktum.pdf"),
        ("x.pdf.html", "x.pdf.html"),
    ],
)
def test_names_are_made_harmless(name, expected):
    assert safe_display_name(name) == expected


def test_decomposed_norwegian_letters_are_composed():
    decomposed = "a\u030as.pdf"  # "ås" as macOS writes it: a + combining ring
    assert safe_display_name(decomposed) == "ås.pdf"
    assert len(safe_display_name(decomposed)) == len("ås.pdf")


def test_very_long_names_are_cut_keeping_the_extension():
    name = safe_display_name("ø" * 1000 + ".docx")
    assert len(name) == MAX_NAME_LENGTH
    assert name.endswith("ø.docx")


def test_a_thousand_character_traversal_name_keeps_nothing_of_the_path():
    name = safe_display_name("../" * 300 + "a" * 1000 + ".pdf")
    assert "/" not in name
    assert ".." not in name
    assert len(name) == MAX_NAME_LENGTH
