import pytest

from koordination.core.municipalities import (
    UnknownMunicipality,
    lookup,
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
