"""OCR references as Bankgirot reads them: digits only, 2 to 25 of them, the second last a
length digit (the reference's whole length, both check digits included, modulo 10) and the
last a mod 10 (Luhn) check digit over every digit before it.

A payer's bank refuses a reference whose length digit or check digit is wrong, so every
reference kn prints passes both checks (``ocr_problem``).
"""

from __future__ import annotations

import re

from koordination.core.orgnr import mod10_check_digit

MIN_DIGITS = 2
MAX_DIGITS = 25
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: "²" is a digit to str.isdigit, not to a bank


def with_length_and_check(base: str) -> str:
    """``base`` + its length digit + the mod 10 check digit: ``"20150162001"`` (11 digits)
    -> ``"2015016200137"`` (13 digits: length digit 3, check digit 7)."""
    if not _DIGITS.fullmatch(base) or len(base) + 2 > MAX_DIGITS:
        raise ValueError(f"an OCR reference is built from 1 to {MAX_DIGITS - 2} digits, "
                         f"not {base!r}")
    with_length = base + str((len(base) + 2) % 10)
    return with_length + str(mod10_check_digit(with_length))


def ocr_problem(reference: str) -> str | None:
    """Why Bankgirot would refuse ``reference`` as an OCR reference with length digit, or
    None."""
    if not _DIGITS.fullmatch(reference):
        return f"{reference!r} is not an OCR reference: digits 0-9 only"
    if not MIN_DIGITS + 1 <= len(reference) <= MAX_DIGITS:
        return f"{reference!r} has {len(reference)} digits; an OCR reference has 3 to 25"
    if int(reference[-2]) != len(reference) % 10:
        return (f"{reference!r} has the length digit {reference[-2]}, but it is "
                f"{len(reference)} digits long")
    if int(reference[-1]) != mod10_check_digit(reference[:-1]):
        return f"{reference!r} has a wrong check digit (mod 10)"
    return None


#: The kind of document in an OCR reference (its ninth digit): which series it is numbered in.
SERIES = {("fee", False): 0, ("fee", True): 1, ("settlement", False): 2,
          ("settlement", True): 3}


def ocr_code(code: str) -> str:
    """The four digits an OCR reference carries for a member: its SCB code, or for a party
    that is not a municipality (``P1``, ``P2``, …) 9900 + its number (``P1`` -> 9901), a
    range no SCB code uses."""
    if re.fullmatch(r"[0-9]{4}", code):
        return code
    match = re.fullmatch(r"P([1-9][0-9]?)", code)
    if match is None:
        raise ValueError(f"an OCR reference needs an SCB code or a party P1-P99, not {code!r}")
    return f"{9900 + int(match.group(1)):04d}"


def document_ocr(year: int, code: str, basis: str, credit_series: bool, sequence: int) -> str:
    """The OCR reference of one document: fee year, the recipient's 4-digit code (a party's:
    :func:`ocr_code`), the series
    (0 fee invoices, 1 fee credit notes, 2 settlement invoices, 3 settlement credit notes),
    the document's number in its series (01-99), then the length and check digits:
    2015, 0162, the first fee invoice -> ``2015016200137``. Every document of a year has its
    own reference."""
    if not 1 <= sequence <= 99:
        raise ValueError(f"document number {sequence} is outside 1-99")
    return with_length_and_check(
        f"{year:04d}{ocr_code(code)}{SERIES[(basis, credit_series)]}{sequence:02d}")
