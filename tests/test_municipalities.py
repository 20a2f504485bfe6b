import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koordination.core.municipalities import (
    UnknownMunicipality,
    lookup,
    names_agree,
    plain_text,
    register,
    swedish_sort_key,
)


def test_register_has_all_290_municipalities() -> None:
    reg = register()
    assert len(reg) == 290
    assert reg["0114"].name == "Upplands Väsby"
    assert reg["2584"].name == "Kiruna"


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Upplands Väsby", "0114"),
        ("upplands-väsby", "0114"),
        ("Danderyds kommun", "0162"),
        ("Sundbybergs stad", "0183"),
        ("Lidingö stad", "0186"),
        ("0184", "0184"),
        ("UPPLANDS-BRO", "0139"),
        ("Borås stad", "1490"),
        ("Kramfors kommun", "2282"),
    ],
)
def test_names_match_tolerantly(given: str, code: str) -> None:
    assert lookup(given).code == code


def test_unknown_names_are_never_guessed() -> None:
    with pytest.raises(UnknownMunicipality) as err:
        lookup("Upplands Vasby")
    assert str(err.value) == "unknown 'Upplands Vasby' (did you mean Upplands Väsby?)"
    with pytest.raises(UnknownMunicipality):
        lookup("0999")
    with pytest.raises(UnknownMunicipality) as err:
        lookup("Atlantis")
    assert str(err.value) == "unknown 'Atlantis'"


def test_swedish_order_puts_aao_after_z_and_hyphen_as_space() -> None:
    names = ["Österåker", "Upplands Väsby", "Ängelholm", "Upplands-Bro", "Åre", "Täby"]
    assert sorted(names, key=swedish_sort_key) == [
        "Täby", "Upplands-Bro", "Upplands Väsby", "Åre", "Ängelholm", "Österåker",
    ]


@given(st.text(alphabet=st.sampled_from(
    list("Aa Ää-ö\t\n\r") + ["\u0308", "\u00a0", "\u200b", "\u00ad", "\ufeff", "\x07",
                               "\u2028", "\u3000", "\u202f", "\u0085", "\x1c"])) | st.text())
def test_plain_text_is_normalised_visible_single_spaced(text: str) -> None:
    """The quick path for printable text gives what the character-by-character rule gives."""
    spaced = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
    expected = "".join(c for c in spaced
                       if unicodedata.category(c) not in ("Cf", "Cc")).strip()
    assert plain_text(text) == expected


def test_every_register_name_agrees_with_itself_and_not_with_another() -> None:
    names = [m.name for m in register().values()]
    assert all(names_agree(name, name) for name in names)
    assert not names_agree("Solna", "Sundbyberg")
    assert names_agree("Upplands Väsby", "Upplands Väsby kommun")
