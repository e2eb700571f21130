"""The pseudonymous client code: normalised, built, parsed, and compared one letter at a time."""

from __future__ import annotations

from visits import codes


def test_it_normalises_to_upper_case():
    assert codes.normalise("mako1993k") == "MAKO1993K"


def test_it_normalises_norwegian_letters_to_upper_case():
    assert codes.normalise("æøå1990a") == "ÆØÅ1990A"


def test_it_removes_spaces_and_odd_characters():
    assert codes.normalise(" ma-ko 1993/k.\t") == "MAKO1993K"


def test_it_removes_markup_and_quotes():
    assert codes.normalise("<b>'ma\"ko'</b>") == "BMAKOB"


def test_it_normalises_nothing_to_an_empty_code():
    assert codes.normalise(None) == ""
    assert codes.normalise("  --  ") == ""


def test_it_builds_a_code_from_letters_birth_year_and_gender():
    assert codes.build("ma ko", 1993, "k") == "MAKO1993K"


def test_it_pads_the_birth_year_to_four_digits():
    assert codes.build("AB", 999, "M") == "AB0999M"


def test_it_parses_a_code_into_its_parts():
    parsed = codes.parse("MAKO1993K")

    assert parsed == codes.ParsedCode(letters="MAKO", birth_year=1993, gender="K")


def test_it_parses_a_code_typed_in_lower_case_with_spaces():
    assert codes.parse("mako 1993 k") == codes.ParsedCode("MAKO", 1993, "K")


def test_it_does_not_parse_a_code_with_a_two_digit_year():
    assert codes.parse("MAKO93K") is None


def test_it_does_not_parse_a_code_with_one_letter():
    assert codes.parse("M1993K") is None


def test_it_does_not_parse_a_code_with_nine_letters():
    assert codes.parse("ABCDEFGHI1993K") is None


def test_it_does_not_parse_an_unknown_gender_letter():
    assert codes.parse("MAKO1993X") is None


def test_it_does_not_parse_a_prefix():
    assert codes.parse("MAKO") is None


def test_it_finds_one_letter_changed():
    assert codes.one_letter_apart("MAKO", "MAKA")


def test_it_finds_one_letter_inserted():
    assert codes.one_letter_apart("MAKO", "MAKKO")


def test_it_finds_one_letter_deleted():
    assert codes.one_letter_apart("MAKO", "MKO")


def test_it_finds_two_neighbouring_letters_swapped():
    assert codes.one_letter_apart("MAKO", "AMKO")


def test_it_does_not_count_two_changed_letters():
    assert not codes.one_letter_apart("MAKO", "MIKA")


def test_it_does_not_count_letters_swapped_across_a_gap():
    assert not codes.one_letter_apart("MAKO", "KAMO")


def test_it_does_not_count_two_letters_inserted():
    assert not codes.one_letter_apart("MAKO", "MAKOXY")


def test_it_does_not_count_the_same_letters_as_apart():
    assert not codes.one_letter_apart("MAKO", "MAKO")
