"""Reading ``network.yaml`` into a :class:`~koordination.core.models.Network`, with every
problem at once."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard

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


def _written(value: Any) -> TypeGuard[str | int]:
    """``value`` is a municipality as written: its name or its SCB code (``0162``, which kn's
    YAML reads as text, never as the octal number 114)."""
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _kommun(value: Any) -> str | int:
    if not _written(value):
        raise ValueError(f"expected a municipality's name or SCB code, found {found(value)}")
    return value


Kommun = Annotated[str | int, BeforeValidator(_kommun)]
#: A text that may be left out but not left empty (an invoice's name, reference, address).
Text = Annotated[str, Field(min_length=1)] | None


def _statistic_names(example: str) -> BeforeValidator:
    """Refuses a mapping whose keys are not all statistics' names, naming the first bad key."""
    def check(value: Any) -> Any:
        if isinstance(value, dict):
            for name in value:
                if not isinstance(name, str) or not STATISTIC_NAME.match(name):
                    raise ValueError(
                        f"{name!r} is not a statistic's name (lower case letters, digits and "
                        f"hyphens, e.g. {example})")
        return value
    return BeforeValidator(check)


class MemberEntry(Strict):
    kommun: Kommun
    joined: Day | None = None
    notice: Day | None = None
    left: Day | None = None
    orgnr: str | None = None
    share: Amount | None = None
    legal_name: Text = None
    reference: Text = None
    address: Text = None


class BandEntry(Strict):
    below: int | None = Field(default=None, ge=1, le=MAX_POPULATION)
    amount: Money


UnitRates = Annotated[dict[str, Money], _statistic_names("landareal-km2")]


class FeeEntry(Strict):
    per_inhabitant: Money | None = None
    max_inhabitants: int | None = Field(default=None, ge=1, le=MAX_POPULATION)
    per_unit: UnitRates = Field(default_factory=dict)
    base: Money | None = None
    bands: list[BandEntry] | None = None


class PartyEntry(Strict):
    name: Name
    share: Amount
    legal_name: Text = None
    orgnr: str | None = None
    reference: Text = None
    address: Text = None


class LimitsEntry(Strict):
    base_per_member: Money | None = None
    floor: Money | None = None
    ceiling: Money | None = None
    max_decrease_percent: Amount | None = None
    max_increase_percent: Amount | None = None


class SenderEntry(Strict):
    bankgiro: str | None = None
    plusgiro: str | None = None
    address: Text = None
    contact: Text = None


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


StatisticRules = Annotated[dict[str, PopulationEntry], _statistic_names("befolkning-16-64")]


def _plain_names(value: Any) -> Any:
    """``members: [Heby, Tierp]`` means ``- kommun: Heby`` and ``- kommun: Tierp``."""
    if isinstance(value, list):
        return [{"kommun": item} if _written(item) else item for item in value]
    return value


KEY_FORMS = ("population, fixed or {equal: E, population: P, STATISTIC: S, ...} "
             "(percent, summing to 100)")


class NetworkFile(Strict):
    name: Name
    administrator: Kommun | list[AdministratorEntry]
    notice_months: int = Field(default=12, ge=0, le=120)
    population: PopulationEntry = Field(default_factory=PopulationEntry)
    key: Literal["population", "fixed"] | dict[str, Decimal] = "population"
    population_cap: int | None = Field(default=None, le=MAX_POPULATION)
    rounding: Amount = Decimal(1)
    rounding_method: Literal["largest_remainder", "each"] = "largest_remainder"
    statistics: StatisticRules = Field(default_factory=dict)
    surplus: Literal["refund", "carry_forward"] = "refund"
    deficit: Literal["charge", "carry_forward"] = "charge"
    payment_days: int | None = Field(default=None, ge=0, le=365)  # before invoicing.terms_days
    invoicing: InvoicingEntry = Field(default_factory=InvoicingEntry)
    fee: FeeEntry | None = None
    parties: list[PartyEntry] = Field(default_factory=list)
    limits: LimitsEntry | None = None
    members: Annotated[list[MemberEntry], BeforeValidator(_plain_names)] = Field(min_length=1)

    @field_validator("key", mode="before")
    @classmethod
    def _key_shape(cls, value: Any) -> Any:
        """One clear line for a key of the wrong shape (instead of one per union branch); the
        weights read as numbers."""
        if value in ("population", "fixed"):
            return value
        if isinstance(value, dict) and value:
            weights = {}
            for name, weight in value.items():
                if not isinstance(name, str) or (
                    name not in ("equal", "population") and not STATISTIC_NAME.match(name)
                ):
                    raise ValueError(
                        f"{name!r} is neither equal, population nor a statistic's name "
                        "(lower case letters, digits and hyphens, e.g. befolkning-16-64)")
                try:
                    weights[name] = parse_amount(weight)
                except (ValueError, TypeError) as err:
                    raise ValueError(f"{name}: {err}; give a percentage such as 30") from None
            return weights
        raise ValueError(f"is empty; it must be {KEY_FORMS}" if value == {} else
                         f"must be {KEY_FORMS}")


class _Problems(list[Problem]):
    """The problems found in one file, in the order found."""

    def __init__(self, file: str, found: list[Problem]) -> None:
        super().__init__(found)
        self.file = file

    def add(self, where: str, message: str) -> None:
        self.append(Problem(message, self.file, where))


def _resolve(given: str | int, where: str, problems: _Problems) -> Municipality | None:
    try:
        return lookup(given)
    except UnknownMunicipality as err:
        problems.add(where, str(err))
        return None


def _is_municipality(name: str) -> bool:
    try:
        lookup(name)
    except UnknownMunicipality:
        return False
    return True


def _not_negative(value: Decimal | None, where: str, problems: _Problems) -> None:
    if value is not None and value < 0:
        problems.add(where, f"must not be negative (got {value})")


def _orgnr(orgnr: str | None, where: str, problems: _Problems) -> str | None:
    """A member's or party's ``orgnr`` written NNNNNN-NNNN, as invoices print it; as given,
    and the problem noted, when it is not valid."""
    if orgnr is None:
        return None
    why = orgnr_problem(orgnr)
    if why:
        problems.add(where, why)
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
    problems = _Problems(file, split_decimals(data, file))
    try:
        raw = NetworkFile.model_validate(data)
    except ValidationError as err:
        problems += problems_from(err, file)
        _names_beside(data, problems)
        raise DataError(problems) from None
    return _network(raw, problems)


def _names_beside(data: dict[Any, Any], problems: _Problems) -> None:
    """When the file's shape is wrong somewhere (a date written 2015/03/31), the municipality
    names and organisation numbers are still checked, so that one run shows every problem."""
    located = {p.where for p in problems}
    failed: set[str] = set()
    members = _plain_names(data.get("members"))
    for i, entry in enumerate(members if isinstance(members, list) else []):
        if not isinstance(entry, dict):
            continue
        where = f"members[{i}]"
        given = entry.get("kommun")
        if _written(given) and f"{where}.kommun" not in located and where not in located:
            if _resolve(given, f"{where}.kommun", problems) is None:
                failed.add(_folded(given))
        orgnr = entry.get("orgnr")
        if isinstance(orgnr, str) and f"{where}.orgnr" not in located:
            _orgnr(orgnr, f"{where}.orgnr", problems)
    admin = data.get("administrator")
    if _written(admin) and "administrator" not in located and _folded(admin) not in failed:
        _resolve(admin, "administrator", problems)


def _folded(given: str | int) -> str:
    return str(given).strip().lower()


def _network(raw: NetworkFile, problems: _Problems) -> Network:
    members: list[Member] = []
    unknown: set[str] = set()
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw.members):
        where = f"members[{i}]"
        muni = _resolve(entry.kommun, f"{where}.kommun", problems)
        orgnr = _orgnr(entry.orgnr, f"{where}.orgnr", problems)
        if muni is None:
            unknown.add(_folded(entry.kommun))
            continue
        if muni.code in seen:
            problems.add(f"{where}.kommun", f"{muni.name} is listed twice (also members["
                         f"{seen[muni.code]}]); list each member once")
            continue
        seen[muni.code] = i
        joined = entry.joined
        for name, day in (("notice", entry.notice), ("left", entry.left)):
            if joined is not None and day is not None and day < joined:
                problems.add(f"{where}.{name}",
                             f"{name} {day} is before the member joined ({joined})")
        if joined is not None and entry.left == joined:
            problems.add(f"{where}.left",
                         "left is the day the member joined: it would have no day in")
        members.append(Member(
            code=muni.code, name=muni.name, joined=entry.joined, notice=entry.notice,
            left=entry.left, orgnr=orgnr, share=entry.share, legal_name=entry.legal_name,
            reference=entry.reference, address=entry.address))
    key = _key(raw, problems)
    if raw.population_cap is not None and raw.population_cap <= 0:
        problems.add("population_cap", f"must be a positive number of inhabitants (got "
                     f"{raw.population_cap})")
    if raw.rounding not in ROUNDING_UNITS:
        problems.add("rounding", f"must be 1, 10, 100 or 1000 kronor, or 0.01 (got "
                     f"{raw.rounding})")
    if raw.population_cap is not None and (key.kind == "fixed" or not key.population):
        problems.add("population_cap", "a cap only applies to a key that counts population; "
                     "remove population_cap or use key: population or {equal: E, population: "
                     "P}")
    _check_shares(raw, key, problems)
    fee = _fee(raw, problems)
    parties = _parties(raw, problems)
    limits = _limits(raw, problems)
    admins = _administrators(raw, members, unknown, problems)
    sender = raw.invoicing.sender
    if sender.bankgiro is not None or sender.plusgiro is not None:
        _check_giros(sender, problems)
    terms = raw.invoicing.terms_days
    if terms is not None and raw.payment_days is not None and terms != raw.payment_days:
        problems.add("payment_days", f"payment_days is {raw.payment_days} but "
                     f"invoicing.terms_days is {terms}; keep only invoicing.terms_days")
    if problems:
        raise DataError(problems)
    if terms is None:
        terms = 30 if raw.payment_days is None else raw.payment_days
    return Network(
        name=raw.name, administrators=tuple(admins), members=tuple(members),
        notice_months=raw.notice_months, population=_rule(raw.population), key=key,
        population_cap=raw.population_cap,
        rounding=ROUNDING_UNITS[ROUNDING_UNITS.index(raw.rounding)],
        rounding_method=raw.rounding_method,
        statistics={name: _rule(entry) for name, entry in raw.statistics.items()},
        surplus=raw.surplus, deficit=raw.deficit, payment_days=terms,
        invoicing=Invoicing(
            prefix=raw.invoicing.prefix.upper() if raw.invoicing.prefix else None,
            bankgiro=sender.bankgiro, plusgiro=sender.plusgiro, address=sender.address,
            contact=sender.contact, corrections=raw.invoicing.corrections),
        fee=fee, parties=parties, limits=limits)


def _check_giros(sender: SenderEntry, problems: _Problems) -> None:
    from koordination.core.invoices import giro_problem  # the invoices' module: only here

    for kind, number in (("bankgiro", sender.bankgiro), ("plusgiro", sender.plusgiro)):
        wrong = number is not None and giro_problem(kind, number)
        if wrong:
            problems.add(f"invoicing.sender.{kind}", wrong)


def _fee(raw: NetworkFile, problems: _Problems) -> FeeRate | None:
    """The ``fee:`` rate or bands (reference 13)."""
    entry = raw.fee
    if entry is None:
        return None
    for other in ("key", "parties", "limits"):
        if other in raw.model_fields_set:
            problems.add("fee", f"a fee: rate sets each member's fee itself and cannot be "
                         f"combined with {other}:; remove {other}: (or fee:)")
    if raw.population_cap is not None:
        problems.add("population_cap", "population_cap applies to a key; a fee: rate counts "
                     "at most max_inhabitants instead")
    rates = [name for name in ("per_inhabitant", "max_inhabitants", "base")
             if getattr(entry, name) is not None] + (["per_unit"] if entry.per_unit else [])
    if entry.bands is not None:
        if rates:
            problems.add("fee", f"bands set the whole fee; remove {', '.join(rates)} (or the "
                         "bands)")
        return FeeRate(bands=_bands(entry.bands, problems))
    if not rates:
        problems.add("fee", "fee: needs per_inhabitant, per_unit, base or bands, e.g. fee: "
                     "{per_inhabitant: 414}")
    if entry.max_inhabitants is not None and entry.per_inhabitant is None:
        problems.add("fee.max_inhabitants",
                     "max_inhabitants limits per_inhabitant; add per_inhabitant")
    _not_negative(entry.per_inhabitant, "fee.per_inhabitant", problems)
    _not_negative(entry.base, "fee.base", problems)
    for name, value in entry.per_unit.items():
        _not_negative(value, f"fee.per_unit.{name}", problems)
    return FeeRate(per_inhabitant=entry.per_inhabitant or Decimal(0),
                   max_inhabitants=entry.max_inhabitants, per_unit=tuple(entry.per_unit.items()),
                   base=entry.base or Decimal(0))


def _bands(entries: list[BandEntry], problems: _Problems) -> tuple[Band, ...]:
    """Bands in order of population, each ``below`` above the one before, the last open."""
    if not entries:
        problems.add("fee.bands", "list at least one band, the last without 'below', e.g. "
                     "[{below: 7000, amount: 5000}, {amount: 10000}]")
    before: int | None = None
    for i, band in enumerate(entries):
        where = f"fee.bands[{i}]"
        last = i == len(entries) - 1
        _not_negative(band.amount, f"{where}.amount", problems)
        if band.below is None and not last:
            problems.add(where, "only the last band may leave out 'below' (it takes every "
                         "larger population); give this band its limit or move it last")
        elif band.below is not None and last:
            problems.add("fee.bands", f"the last band has a limit (below: {band.below}); end "
                         "the bands with one without 'below' for every larger population, "
                         "e.g. {amount: 80000}")
        if band.below is not None:
            if before is not None and band.below <= before:
                problems.add(f"{where}.below", f"below {band.below} is not above the band "
                             f"before (below {before}); list the bands from the smallest "
                             "population up")
            before = band.below
    return tuple(Band(b.below, b.amount) for b in entries)


def _parties(raw: NetworkFile, problems: _Problems) -> tuple[Member, ...]:
    """The parties that are not municipalities, coded P1, P2, … in the order listed."""
    parties: list[Member] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw.parties):
        where = f"parties[{i}]"
        if entry.share <= 0:
            problems.add(f"{where}.share", f"must be a percent above 0 (got {entry.share})")
        orgnr = _orgnr(entry.orgnr, f"{where}.orgnr", problems)
        folded = entry.name.casefold()
        if folded in seen:
            problems.add(f"{where}.name", f"{entry.name} is listed twice (also parties["
                         f"{seen[folded]}]); list each party once")
        seen[folded] = i
        if _is_municipality(entry.name):
            problems.add(f"{where}.name", f"{entry.name} is a municipality; list it under "
                         "members (parties are members that are not municipalities)")
        parties.append(Member(
            code=f"P{i + 1}", name=entry.name, share=entry.share, orgnr=orgnr,
            legal_name=entry.legal_name, reference=entry.reference, address=entry.address,
            party=True))
    total = sum((entry.share for entry in raw.parties), Decimal(0))
    if parties and total >= 100:
        terms = " + ".join(f"{entry.share}" for entry in raw.parties)
        problems.add("parties", f"the parties' shares sum to {total} % ({terms}); they must "
                     "leave a part of the total to the municipal members (less than 100)")
    return tuple(parties)


def _limits(raw: NetworkFile, problems: _Problems) -> Limits | None:
    """The ``limits:`` on each member's fee (reference 13)."""
    entry = raw.limits
    if entry is None:
        return None
    for name, value in entry:
        _not_negative(value, f"limits.{name}", problems)
    if entry.max_decrease_percent is not None and entry.max_decrease_percent > 100:
        problems.add("limits.max_decrease_percent", f"a fee cannot fall more than 100 % (got "
                     f"{entry.max_decrease_percent})")
    if entry.floor is not None and entry.ceiling is not None and entry.floor > entry.ceiling:
        problems.add("limits.floor", f"the floor ({entry.floor}) is above the ceiling "
                     f"({entry.ceiling}); no fee could hold both: lower the floor or raise "
                     "the ceiling")
    if raw.rounding_method == "each":
        problems.add("rounding_method", "limits share the total exactly; use rounding_method: "
                     "largest_remainder (or remove limits)")
    return Limits(base_per_member=entry.base_per_member or Decimal(0), floor=entry.floor,
                  ceiling=entry.ceiling, max_decrease_percent=entry.max_decrease_percent,
                  max_increase_percent=entry.max_increase_percent)


def _rule(entry: PopulationEntry) -> PopulationRule:
    return PopulationRule(month=int(entry.month_day[:2]), day=int(entry.month_day[3:]),
                          lag=entry.lag, by_year=dict(entry.by_year))


def _key(raw: NetworkFile, problems: _Problems) -> Key:
    if not isinstance(raw.key, dict):
        return Key(raw.key)
    weights = dict(raw.key)
    equal = weights.pop("equal", Decimal(0))
    population = weights.pop("population", Decimal(0))
    negative = [f"{name} {w}" for name, w in raw.key.items() if w < 0]
    if negative:
        problems.add("key", f"weights must not be negative (got {', '.join(negative)})")
    total = sum(raw.key.values(), Decimal(0))
    if total != 100 and not weights and "equal" in raw.key and "population" in raw.key:
        problems.add("key", f"equal + population must be 100 (got {equal} + {population} = "
                     f"{total})")
    elif total != 100:
        terms = " + ".join(f"{name} {w}" for name, w in raw.key.items())
        problems.add("key", f"the weights must sum to 100 (got {terms} = {total}); e.g. "
                     "{equal: 30, population: 70}")
    if weights:
        return Key("weighted", equal, population, tuple(weights.items()))
    return Key("equal_population", equal, population)


def _check_shares(raw: NetworkFile, key: Key, problems: _Problems) -> None:
    shares = [entry.share for entry in raw.members]
    for i, share in enumerate(shares):
        where = f"members[{i}].share"
        if key.kind != "fixed" and share is not None:
            problems.add(where, "share is only used with key: fixed; remove it or set key: "
                         "fixed")
        elif key.kind == "fixed" and share is None:
            problems.add(where, "key: fixed needs a share (percent) for every member")
        else:
            _not_negative(share, where, problems)
    given = [share for share in shares if share is not None]
    if key.kind == "fixed" and len(given) == len(shares) and sum(given) != 100:
        problems.add("members", f"the members' shares sum to {sum(given)}, not 100")


def _administrators(raw: NetworkFile, members: list[Member], unknown: set[str],
                    problems: _Problems) -> list[AdministratorTerm]:
    """The administrators in order; ``unknown`` are the members' names that are no
    municipality's: already reported, so the administrator written the same way (or "not a
    member" because of it) is not reported again."""
    by_code = {m.code: m for m in members}
    entries: list[tuple[str | int, date | None, str]]
    if isinstance(raw.administrator, list):
        entries = [(e.kommun, e.from_, f"administrator[{i}]")
                   for i, e in enumerate(raw.administrator)]
        if not entries:
            problems.add("administrator", "name at least one administrator")
    else:
        entries = [(raw.administrator, None, "administrator")]
    terms: list[AdministratorTerm] = []
    for given, start, where in entries:
        if _folded(given) in unknown:
            continue
        muni = _resolve(given, where if where == "administrator" else f"{where}.kommun",
                        problems)
        if muni is None:
            continue
        if muni.code not in by_code and members and not unknown:
            problems.add(where, f"{muni.name} is not a member; the administrator must be one "
                         "of the members")
            continue
        if terms and (start is None or terms[-1].start is not None and start <= terms[-1].start):
            problems.add(where, "administrator periods must be in order of their 'from' dates, "
                         "each later than the one before (only the first may omit 'from')")
            continue
        terms.append(AdministratorTerm(muni.code, muni.name, start))
    for i, term in enumerate(terms):
        member = by_code.get(term.code)
        if member is None:
            continue
        out = member.first_day_out(raw.notice_months)
        next_start = terms[i + 1].start if i + 1 < len(terms) else None
        if out is not None and (next_start is None or next_start > out):
            problems.add("administrator", f"{term.name} leaves on {out} while it administers "
                         f"the cooperation; name the next administrator from {out} or earlier "
                         "(administrator: [{kommun: ..., from: ...}, ...])")
        if term.start is not None and member.joined is not None and term.start < member.joined:
            problems.add("administrator", f"{term.name} administers from {term.start} but "
                         f"joins on {member.joined}")
    return terms
