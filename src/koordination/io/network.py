"""Reading ``network.yaml`` into a :class:`~koordination.core.models.Network`, with every
problem at once."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, field_validator

from koordination.core.errors import DataError, Problem
from koordination.core.models import (
    MAX_POPULATION,
    STATISTIC_NAME,
    AdministratorTerm,
    Band,
    FeeRate,
    Invoicing,
    Key,
    Limits,
    Member,
    Network,
    PopulationRule,
)
from koordination.core.money import ROUNDING_UNITS, parse_amount
from koordination.core.municipalities import Municipality, UnknownMunicipality, lookup
from koordination.io.identifiers import formatted_orgnr, orgnr_problem
from koordination.io.validation import (
    Amount,
    Day,
    Money,
    Name,
    Strict,
    Year,
    found,
    problems_from,
    split_decimals,
)
from koordination.io.yamlfile import read_yaml


def _kommun(value: Any) -> str | int:
    """A municipality as written: its name or its SCB code (``0162``, which kn's YAML reads
    as text, never as the octal number 114)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected a municipality's name or SCB code, found {found(value)}")
    return value


Kommun = Annotated[str | int, BeforeValidator(_kommun)]


def statistic_names(value: Any, example: str) -> Any:
    """``value`` unchanged when it is not a mapping or every key is a statistic's name (lower
    case letters, digits and hyphens); else the error that names the first bad key."""
    if isinstance(value, dict):
        for name in value:
            if not isinstance(name, str) or not STATISTIC_NAME.match(name):
                raise ValueError(
                    f"{name!r} is not a statistic's name (lower case letters, digits and "
                    f"hyphens, e.g. {example})")
    return value


class MemberEntry(Strict):
    kommun: Kommun
    joined: Day | None = None
    notice: Day | None = None
    left: Day | None = None
    orgnr: str | None = None
    share: Amount | None = None
    legal_name: str | None = Field(default=None, min_length=1)
    reference: str | None = Field(default=None, min_length=1)
    address: str | None = Field(default=None, min_length=1)


class BandEntry(Strict):
    below: int | None = Field(default=None, ge=1, le=MAX_POPULATION)
    amount: Money


class FeeEntry(Strict):
    per_inhabitant: Money | None = None
    max_inhabitants: int | None = Field(default=None, ge=1, le=MAX_POPULATION)
    per_unit: dict[str, Money] = Field(default_factory=dict)
    base: Money | None = None
    bands: list[BandEntry] | None = None

    @field_validator("per_unit", mode="before")
    @classmethod
    def _statistic_names(cls, value: Any) -> Any:
        return statistic_names(value, "landareal-km2")


class PartyEntry(Strict):
    name: Name
    share: Amount
    legal_name: str | None = Field(default=None, min_length=1)
    orgnr: str | None = None
    reference: str | None = Field(default=None, min_length=1)
    address: str | None = Field(default=None, min_length=1)


class LimitsEntry(Strict):
    base_per_member: Money | None = None
    floor: Money | None = None
    ceiling: Money | None = None
    max_decrease_percent: Amount | None = None
    max_increase_percent: Amount | None = None


class SenderEntry(Strict):
    bankgiro: str | None = None
    plusgiro: str | None = None
    address: str | None = Field(default=None, min_length=1)
    contact: str | None = Field(default=None, min_length=1)


class InvoicingEntry(Strict):
    prefix: str | None = Field(default=None, pattern=r"^[A-Za-z0-9ÅÄÖåäö]{1,10}$")
    sender: SenderEntry = Field(default_factory=SenderEntry)
    terms_days: int | None = Field(default=None, ge=0, le=365)
    corrections: Literal["replace", "difference"] = "replace"


class AdministratorEntry(Strict):
    kommun: Kommun
    from_: Day | None = Field(default=None, alias="from")


class PopulationEntry(Strict):
    month_day: str = Field(default="12-31", alias="date")
    lag: int = Field(default=1, ge=0, le=10)
    by_year: dict[Year, Day] = Field(default_factory=dict)

    @field_validator("month_day", mode="before")
    @classmethod
    def _month_day(cls, value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"\d\d-\d\d", value):
            raise ValueError('expected a month-day such as "12-31" or "11-01"')
        month, day = (int(x) for x in value.split("-"))
        try:
            date(2001, month, day)
        except ValueError:
            raise ValueError(f"{value!r} is not a day of the year") from None
        return value


KEY_FORMS = ("population, fixed or {equal: E, population: P, STATISTIC: S, ...} "
             "(percent, summing to 100)")


class NetworkFile(Strict):
    name: Name
    administrator: Kommun | list[AdministratorEntry]
    notice_months: int = Field(default=12, ge=0, le=120)
    population: PopulationEntry = Field(default_factory=PopulationEntry)
    key: Literal["population", "fixed"] | dict[str, Amount] = "population"
    population_cap: int | None = Field(default=None, le=MAX_POPULATION)
    rounding: Amount = Decimal(1)
    rounding_method: Literal["largest_remainder", "each"] = "largest_remainder"
    statistics: dict[str, PopulationEntry] = Field(default_factory=dict)
    surplus: Literal["refund", "carry_forward"] = "refund"
    deficit: Literal["charge", "carry_forward"] = "charge"
    payment_days: int | None = Field(default=None, ge=0, le=365)  # before invoicing.terms_days
    invoicing: InvoicingEntry = Field(default_factory=InvoicingEntry)
    fee: FeeEntry | None = None
    parties: list[PartyEntry] = Field(default_factory=list)
    limits: LimitsEntry | None = None
    members: list[MemberEntry] = Field(min_length=1)

    @field_validator("members", mode="before")
    @classmethod
    def _plain_names(cls, value: Any) -> Any:
        """``members: [Heby, Tierp]`` means ``- kommun: Heby`` and ``- kommun: Tierp``."""
        if isinstance(value, list):
            return [{"kommun": item} if isinstance(item, (str, int)) and not isinstance(
                item, bool) else item for item in value]
        return value

    @field_validator("key", mode="before")
    @classmethod
    def _key_shape(cls, value: Any) -> Any:
        """One clear line for a key of the wrong shape (instead of one per union branch)."""
        if isinstance(value, str):
            if value in ("population", "fixed"):
                return value
            raise ValueError(f"must be {KEY_FORMS}")
        if isinstance(value, dict):
            if not value:
                raise ValueError(f"is empty; it must be {KEY_FORMS}")
            for name, weight in value.items():
                if not isinstance(name, str) or (
                    name not in ("equal", "population") and not STATISTIC_NAME.match(name)
                ):
                    raise ValueError(
                        f"{name!r} is neither equal, population nor a statistic's name "
                        "(lower case letters, digits and hyphens, e.g. befolkning-16-64)")
                try:
                    parse_amount(weight)
                except (ValueError, TypeError) as err:
                    raise ValueError(f"{name}: {err}; give a percentage such as 30") from None
            return value
        raise ValueError(f"must be {KEY_FORMS}")

    @field_validator("statistics", mode="before")
    @classmethod
    def _statistic_names(cls, value: Any) -> Any:
        return statistic_names(value, "befolkning-16-64")


def _resolve(given: str | int, file: str, where: str, problems: list[Problem]
             ) -> Municipality | None:
    try:
        return lookup(given)
    except UnknownMunicipality as err:
        problems.append(Problem(str(err), file, where))
        return None


def _known(given: str | int) -> bool:
    try:
        lookup(given)
    except UnknownMunicipality:
        return False
    return True


def _not_negative(value: Decimal | None, file: str, where: str, problems: list[Problem]) -> None:
    if value is not None and value < 0:
        problems.append(Problem(f"must not be negative (got {value})", file, where))


def _orgnr(orgnr: str | None, file: str, where: str, problems: list[Problem]) -> str | None:
    """A member's or party's ``orgnr`` written NNNNNN-NNNN, as invoices print it; as given,
    and the problem noted, when it is not valid."""
    if orgnr is None:
        return None
    why = orgnr_problem(orgnr)
    if why:
        problems.append(Problem(why, file, where))
        return orgnr
    return formatted_orgnr(orgnr)


def load_network(path: Path, name: str | None = None) -> Network:
    """Read and check ``network.yaml``. Raises :class:`DataError` with every problem found."""
    file = name or str(path)
    data = read_yaml(path, file)
    if data is None:
        raise DataError(Problem("file is empty; see the network.yaml format in the README", file))
    if not isinstance(data, dict):
        raise DataError(Problem("expected keys such as name, administrator and members", file))
    split = split_decimals(data, file)
    try:
        raw = NetworkFile.model_validate(data)
    except ValidationError as err:
        found = split + problems_from(err, file)
        raise DataError(found + _names_beside(data, found, file)) from None
    if split:
        try:
            build_network(raw, file)
        except DataError as err:
            raise DataError(split + err.problems) from None
        raise DataError(split)
    return build_network(raw, file)


def _names_beside(data: dict[Any, Any], found: list[Problem], file: str) -> list[Problem]:
    """When the file's shape is wrong somewhere (a date written 2015/03/31), the municipality
    names and organisation numbers are still checked, so that one run shows every problem."""
    located = {p.where for p in found}
    problems: list[Problem] = []
    failed: set[str] = set()
    members = data.get("members")
    if isinstance(members, list):
        for i, entry in enumerate(members):
            if isinstance(entry, (str, int)) and not isinstance(entry, bool):
                entry = {"kommun": entry}
            if not isinstance(entry, dict):
                continue
            where = f"members[{i}]"
            given = entry.get("kommun")
            if isinstance(given, (str, int)) and not isinstance(given, bool) \
                    and f"{where}.kommun" not in located and where not in located:
                if _resolve(given, file, f"{where}.kommun", problems) is None:
                    failed.add(str(given).strip().lower())
            orgnr = entry.get("orgnr")
            if isinstance(orgnr, str) and f"{where}.orgnr" not in located:
                _orgnr(orgnr, file, f"{where}.orgnr", problems)
    admin = data.get("administrator")
    if isinstance(admin, (str, int)) and not isinstance(admin, bool) \
            and "administrator" not in located and str(admin).strip().lower() not in failed:
        _resolve(admin, file, "administrator", problems)
    return problems


def build_network(raw: NetworkFile, file: str) -> Network:
    problems: list[Problem] = []
    members: list[Member] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw.members):
        where = f"members[{i}]"
        muni = _resolve(entry.kommun, file, f"{where}.kommun", problems)
        orgnr = _orgnr(entry.orgnr, file, f"{where}.orgnr", problems)
        if muni is None:
            continue
        if muni.code in seen:
            problems.append(Problem(f"{muni.name} is listed twice (also members["
                                    f"{seen[muni.code]}]); list each member once", file,
                                    f"{where}.kommun"))
            continue
        seen[muni.code] = i
        if entry.joined is not None:
            for field_name in ("notice", "left"):
                value = getattr(entry, field_name)
                if value is not None and value < entry.joined:
                    problems.append(Problem(f"{field_name} {value} is before the member "
                                            f"joined ({entry.joined})", file,
                                            f"{where}.{field_name}"))
        if entry.left is not None and entry.joined is not None and entry.left == entry.joined:
            problems.append(Problem("left is the day the member joined: it would have no day "
                                    "in", file, f"{where}.left"))
        members.append(Member(
            code=muni.code, name=muni.name, joined=entry.joined, notice=entry.notice,
            left=entry.left, share=entry.share, legal_name=entry.legal_name,
            reference=entry.reference, address=entry.address,
            orgnr=orgnr))
    key = _key(raw, file, problems)
    if raw.population_cap is not None and raw.population_cap <= 0:
        problems.append(Problem(f"must be a positive number of inhabitants (got "
                                f"{raw.population_cap})", file, "population_cap"))
    if raw.rounding not in ROUNDING_UNITS:
        problems.append(Problem(f"must be 1, 10, 100 or 1000 kronor, or 0.01 (got "
                                f"{raw.rounding})", file, "rounding"))
    if raw.population_cap is not None and (key.kind == "fixed" or not key.population):
        problems.append(Problem("a cap only applies to a key that counts population; remove "
                                "population_cap or use key: population or {equal: E, "
                                "population: P}", file, "population_cap"))
    _check_shares(raw, key, file, problems)
    fee = _fee(raw, file, problems)
    parties = _parties(raw, file, problems)
    limits = _limits(raw, file, problems)
    admins = _administrators(raw, members, file, problems)
    sender = raw.invoicing.sender
    if sender.bankgiro is not None or sender.plusgiro is not None:
        _check_giros(sender, file, problems)
    terms = raw.invoicing.terms_days
    if terms is not None and raw.payment_days is not None and terms != raw.payment_days:
        problems.append(Problem(f"payment_days is {raw.payment_days} but invoicing.terms_days "
                                f"is {terms}; keep only invoicing.terms_days", file,
                                "payment_days"))
    if problems:
        raise DataError(problems)
    return Network(
        name=raw.name, administrators=tuple(admins), members=tuple(members),
        notice_months=raw.notice_months, population=_rule(raw.population), key=key,
        population_cap=raw.population_cap,
        rounding=next(unit for unit in ROUNDING_UNITS if unit == raw.rounding),
        rounding_method=raw.rounding_method,
        statistics={name: _rule(entry) for name, entry in raw.statistics.items()},
        surplus=raw.surplus, deficit=raw.deficit,
        payment_days=terms if terms is not None else (
            raw.payment_days if raw.payment_days is not None else 30),
        invoicing=Invoicing(
            prefix=raw.invoicing.prefix.upper() if raw.invoicing.prefix else None,
            bankgiro=sender.bankgiro, plusgiro=sender.plusgiro, address=sender.address,
            contact=sender.contact, corrections=raw.invoicing.corrections),
        fee=fee, parties=parties, limits=limits)


def _check_giros(sender: SenderEntry, file: str, problems: list[Problem]) -> None:
    """The bankgiro and plusgiro numbers given, each checked (its check digit)."""
    from koordination.core.invoices import giro_problem  # the invoices' code, only here

    for kind in ("bankgiro", "plusgiro"):
        number = getattr(sender, kind)
        wrong = giro_problem(kind, number) if number is not None else None
        if wrong:
            problems.append(Problem(wrong, file, f"invoicing.sender.{kind}"))


def _fee(raw: NetworkFile, file: str, problems: list[Problem]) -> FeeRate | None:
    """The ``fee:`` rate or bands (reference 13), every problem in ``problems``."""
    entry = raw.fee
    if entry is None:
        return None
    given = raw.model_fields_set
    for other in ("key", "parties", "limits"):
        if other in given:
            problems.append(Problem(
                f"a fee: rate sets each member's fee itself and cannot be combined with "
                f"{other}:; remove {other}: (or fee:)", file, "fee"))
    if "population_cap" in given and raw.population_cap is not None:
        problems.append(Problem(
            "population_cap applies to a key; a fee: rate counts at most max_inhabitants "
            "instead", file, "population_cap"))
    rates = [name for name in ("per_inhabitant", "max_inhabitants", "base")
             if getattr(entry, name) is not None] + (["per_unit"] if entry.per_unit else [])
    if entry.bands is not None:
        if rates:
            problems.append(Problem(
                f"bands set the whole fee; remove {', '.join(rates)} (or the bands)",
                file, "fee"))
        return FeeRate(bands=_bands(entry.bands, file, problems))
    if not rates:
        problems.append(Problem(
            "fee: needs per_inhabitant, per_unit, base or bands, e.g. fee: {per_inhabitant: "
            "414}", file, "fee"))
    if entry.max_inhabitants is not None and entry.per_inhabitant is None:
        problems.append(Problem("max_inhabitants limits per_inhabitant; add per_inhabitant",
                                file, "fee.max_inhabitants"))
    for name in ("per_inhabitant", "base"):
        _not_negative(getattr(entry, name), file, f"fee.{name}", problems)
    for name, value in entry.per_unit.items():
        _not_negative(value, file, f"fee.per_unit.{name}", problems)
    return FeeRate(
        per_inhabitant=entry.per_inhabitant or Decimal(0),
        max_inhabitants=entry.max_inhabitants,
        per_unit=tuple(entry.per_unit.items()),
        base=entry.base or Decimal(0),
    )


def _bands(entries: list[BandEntry], file: str, problems: list[Problem]) -> tuple[Band, ...]:
    """Bands in order of population, each ``below`` above the one before, the last open."""
    if not entries:
        problems.append(Problem(
            "list at least one band, the last without 'below', e.g. [{below: 7000, amount: "
            "5000}, {amount: 10000}]", file, "fee.bands"))
        return ()
    before: int | None = None
    for i, band in enumerate(entries):
        where = f"fee.bands[{i}]"
        last = i == len(entries) - 1
        _not_negative(band.amount, file, f"{where}.amount", problems)
        if band.below is None and not last:
            problems.append(Problem(
                "only the last band may leave out 'below' (it takes every larger population); "
                "give this band its limit or move it last", file, where))
        elif band.below is not None and last:
            problems.append(Problem(
                f"the last band has a limit (below: {band.below}); end the bands with one "
                "without 'below' for every larger population, e.g. {amount: 80000}",
                file, "fee.bands"))
        if band.below is not None:
            if before is not None and band.below <= before:
                problems.append(Problem(
                    f"below {band.below} is not above the band before (below {before}); list "
                    "the bands from the smallest population up", file, f"{where}.below"))
            before = band.below
    return tuple(Band(b.below, b.amount) for b in entries)


def _parties(raw: NetworkFile, file: str, problems: list[Problem]) -> tuple[Member, ...]:
    """The parties that are not municipalities, coded P1, P2, … in the order listed."""
    parties: list[Member] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw.parties):
        where = f"parties[{i}]"
        if entry.share <= 0:
            problems.append(Problem(f"must be a percent above 0 (got {entry.share})", file,
                                    f"{where}.share"))
        orgnr = _orgnr(entry.orgnr, file, f"{where}.orgnr", problems)
        folded = entry.name.casefold()
        if folded in seen:
            problems.append(Problem(f"{entry.name} is listed twice (also parties[{seen[folded]}])"
                                    "; list each party once", file, f"{where}.name"))
        seen[folded] = i
        if _known(entry.name):
            problems.append(Problem(
                f"{entry.name} is a municipality; list it under members (parties are members "
                "that are not municipalities)", file, f"{where}.name"))
        parties.append(Member(
            code=f"P{i + 1}", name=entry.name, share=entry.share, orgnr=orgnr,
            legal_name=entry.legal_name, reference=entry.reference, address=entry.address,
            party=True))
    total = sum((p.share or Decimal(0) for p in parties), Decimal(0))
    if parties and total >= 100:
        terms = " + ".join(f"{p.share}" for p in parties)
        problems.append(Problem(
            f"the parties' shares sum to {total} % ({terms}); they must leave a part of the "
            "total to the municipal members (less than 100)", file, "parties"))
    return tuple(parties)


def _limits(raw: NetworkFile, file: str, problems: list[Problem]) -> Limits | None:
    """The ``limits:`` on each member's fee (reference 13)."""
    entry = raw.limits
    if entry is None:
        return None
    for name in ("base_per_member", "floor", "ceiling", "max_decrease_percent",
                 "max_increase_percent"):
        _not_negative(getattr(entry, name), file, f"limits.{name}", problems)
    if entry.max_decrease_percent is not None and entry.max_decrease_percent > 100:
        problems.append(Problem(
            f"a fee cannot fall more than 100 % (got {entry.max_decrease_percent})", file,
            "limits.max_decrease_percent"))
    if entry.floor is not None and entry.ceiling is not None and entry.floor > entry.ceiling:
        problems.append(Problem(
            f"the floor ({entry.floor}) is above the ceiling ({entry.ceiling}); no fee could "
            "hold both: lower the floor or raise the ceiling", file, "limits.floor"))
    if raw.rounding_method == "each":
        problems.append(Problem(
            "limits share the total exactly; use rounding_method: largest_remainder (or remove "
            "limits)", file, "rounding_method"))
    return Limits(base_per_member=entry.base_per_member or Decimal(0), floor=entry.floor,
                  ceiling=entry.ceiling, max_decrease_percent=entry.max_decrease_percent,
                  max_increase_percent=entry.max_increase_percent)


def _rule(entry: PopulationEntry) -> PopulationRule:
    return PopulationRule(month=int(entry.month_day[:2]), day=int(entry.month_day[3:]),
                          lag=entry.lag, by_year=dict(entry.by_year))


def _key(raw: NetworkFile, file: str, problems: list[Problem]) -> Key:
    if not isinstance(raw.key, dict):
        return Key(raw.key)
    weights = dict(raw.key)
    equal = weights.pop("equal", Decimal(0))
    population = weights.pop("population", Decimal(0))
    statistics = tuple(weights.items())
    negative = [f"{name} {w}" for name, w in raw.key.items() if w < 0]
    if negative:
        problems.append(Problem(f"weights must not be negative (got {', '.join(negative)})",
                                file, "key"))
    total = sum(raw.key.values(), Decimal(0))
    if total != 100:
        if not statistics and "equal" in raw.key and "population" in raw.key:
            message = f"equal + population must be 100 (got {equal} + {population} = {total})"
        else:
            terms = " + ".join(f"{name} {w}" for name, w in raw.key.items())
            message = (f"the weights must sum to 100 (got {terms} = {total}); e.g. "
                       "{equal: 30, population: 70}")
        problems.append(Problem(message, file, "key"))
    if statistics:
        return Key("weighted", equal, population, statistics)
    return Key("equal_population", equal, population)


def _check_shares(raw: NetworkFile, key: Key, file: str, problems: list[Problem]) -> None:
    listed = [(i, e.share) for i, e in enumerate(raw.members)]
    if key.kind != "fixed":
        problems.extend(Problem("share is only used with key: fixed; remove it or set key: "
                                "fixed", file, f"members[{i}].share")
                        for i, share in listed if share is not None)
        return
    total = Decimal(0)
    for i, share in listed:
        if share is None:
            problems.append(Problem("key: fixed needs a share (percent) for every member", file,
                                    f"members[{i}].share"))
        else:
            _not_negative(share, file, f"members[{i}].share", problems)
            total += share
    if all(share is not None for _, share in listed) and total != 100:
        problems.append(Problem(f"the members' shares sum to {total}, not 100", file, "members"))


def _administrators(raw: NetworkFile, members: list[Member], file: str,
                    problems: list[Problem]) -> list[AdministratorTerm]:
    by_code = {m.code: m for m in members}
    # A member whose name is unknown is reported once: the administrator written the same way,
    # or "not a member" because of it, would only repeat that problem.
    unresolved = {str(e.kommun).strip().lower() for e in raw.members
                  if not _known(e.kommun)}
    entries: list[tuple[str | int, date | None, str]]
    if isinstance(raw.administrator, list):
        entries = [(e.kommun, e.from_, f"administrator[{i}]")
                   for i, e in enumerate(raw.administrator)]
        if not entries:
            problems.append(Problem("name at least one administrator", file, "administrator"))
    else:
        entries = [(raw.administrator, None, "administrator")]
    terms: list[AdministratorTerm] = []
    for given, start, where in entries:
        if str(given).strip().lower() in unresolved:
            continue
        muni = _resolve(given, file, where if start is None and where == "administrator"
                        else f"{where}.kommun", problems)
        if muni is None:
            continue
        if muni.code not in by_code and members and not unresolved:
            problems.append(Problem(f"{muni.name} is not a member; the administrator must be "
                                    "one of the members", file, where))
            continue
        if terms and (start is None or terms[-1].start is not None and start <= terms[-1].start):
            problems.append(Problem("administrator periods must be in order of their 'from' "
                                    "dates, each later than the one before (only the first "
                                    "may omit 'from')", file, where))
            continue
        terms.append(AdministratorTerm(muni.code, muni.name, start))
    for i, term in enumerate(terms):
        member = by_code.get(term.code)
        if member is None:
            continue
        out = member.first_day_out(raw.notice_months)
        next_start = terms[i + 1].start if i + 1 < len(terms) else None
        if out is not None and (next_start is None or next_start > out):
            problems.append(Problem(f"{term.name} leaves on {out} while it administers the "
                                    f"cooperation; name the next administrator from {out} or "
                                    "earlier (administrator: [{kommun: ..., from: ...}, ...])",
                                    file, "administrator"))
        if term.start is not None and member.joined is not None and term.start < member.joined:
            problems.append(Problem(f"{term.name} administers from {term.start} but joins on "
                                    f"{member.joined}", file, "administrator"))
    return terms
