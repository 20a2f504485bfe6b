"""Swedish organisation numbers, checked by python-stdnum (the register's own rule: ten
digits, the last a mod 10 check digit over the nine before it).

Only the ASCII digits 0-9 count: a number typed with full-width or other Unicode digits
(``２１２０００-０１８３``) looks right on screen but is not the number a receiving system
matches, so it is refused rather than read.
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"[0-9]{6}-?[0-9]{4}")  # ASCII only; re's \d would take "２"


def orgnr_problem(text: str) -> str | None:
    """What is wrong with an organisation number, or None when it is valid. (python-stdnum
    is imported here, when a number is given: a run without one does not load it.)"""
    from stdnum import luhn
    from stdnum.se import orgnr as stdnum_orgnr

    if not _SHAPE.fullmatch(text.strip()):
        if re.fullmatch(r"\s*\d{6}-?\d{4}\s*", text):
            return (f"{text!r} is written with digits other than 0-9; type it again with "
                    "the digits 0-9, e.g. 212000-0142")
        return f"{text!r} is not an organisation number; write it NNNNNN-NNNN, e.g. 212000-0142"
    if not stdnum_orgnr.is_valid(text):
        digits = stdnum_orgnr.compact(text)
        return (f"{text!r} has the check digit {digits[9]}, but its first nine digits give "
                f"{luhn.calc_check_digit(digits[:9])}; check the number against the "
                "municipality's invoices")
    return None


def formatted_orgnr(text: str) -> str:
    """A valid number as NNNNNN-NNNN (``2120000142`` -> ``212000-0142``)."""
    from stdnum.se import orgnr as stdnum_orgnr

    return str(stdnum_orgnr.format(text.strip()))
