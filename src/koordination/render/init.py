"""The files ``kn init`` writes for a new cooperation: a commented ``network.yaml`` holding
every key kn reads, and a budget with the groups of the council annex to fill in."""

from __future__ import annotations

import json
import re

from koordination.core.municipalities import Municipality

#: The lines of the Koordination Norrort annex ("Årsbudget ... BUDGET 1 år, jan-dec"), by
#: group, with the form of each line's amount (reference section 1 and 2).
ANNEX_LINES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("Lönekostnader", "Lön strateg", {"amount": "0", "overhead_percent": "38.46"}),
    ("Externa tjänster", "Externa tjänster", {"amount": "0"}),
    ("Externa tjänster", "OH kostnader för ledning/chef", {"amount": "0"}),
    ("Externa tjänster", "Budgetuppföljning", {"rate": "550", "per_month": "0"}),
    ("Lokalkostnader", "Lokalkostnader", {"amount": "0"}),
    ("Resekostnader", "Resekostnader", {"amount": "0"}),
    ("Aktiviteter strateg och nätverk", "Aktiviteter strateg och nätverk", {"amount": "0"}),
    ("Aktiviteter strateg och nätverk", "Kringkostnader möten (fika etc)", {"amount": "0"}),
    ("Övriga kostnader", "Material/expenser", {"amount": "0"}),
    ("Övriga kostnader", "IT & Telefoni", {"amount": "0"}),
    ("Övriga kostnader", "Layout- och tryckkostnader", {"amount": "0"}),
    ("Övriga kostnader", "Kontorsmaterial", {"amount": "0"}),
)

_PLAIN = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü][\w .()/-]*$")


def scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that reads back as the same string, else quoted."""
    if _PLAIN.match(text) and text.lower() not in ("yes", "no", "true", "false", "null", "on",
                                                   "off", "y", "n", "~"):
        return text
    return json.dumps(text, ensure_ascii=False)


_SHARE = """\
key: population                  # population | {equal: 30, population: 70} | fixed (share)
                                 # or with statistics (statistics/NAME/, kn statistic import):
                                 # {equal: 10, population: 40, befolkning-16-64: 50}
# statistics:                    # a statistic's own snapshot rule (default: as population)
#   skatteunderlag: {date: "11-01", lag: 2}
population_cap: null             # count at most this many inhabitants per member (null: no cap)
# parties:                       # members that are not municipalities take a fixed part first
#   - {name: Försäkringskassan, share: 25, orgnr: "202100-5521", reference: "..."}
#   - {name: Region Stockholm, share: 25, orgnr: "232100-0016", reference: "..."}
# limits:                        # per member and year (docs/reference.md section 13)
#   base_per_member: 0           # each member's first part; the rest is shared by the key
#   floor: 35000                 # no member pays less (kr a year, prorated by its days)
#   ceiling: 500000              # no member pays more
#   max_decrease_percent: 10     # a fee falls at most this much from the year before
#   max_increase_percent: null   # a fee rises at most this much
"""

_RATE = """\
# The members' yearly fee is a rate, not a share of a budget (docs/reference.md section 13):
# no budget file is needed. Each fee is the rate × the days the member is in / the year's days.
fee:
  per_inhabitant: 0              # kr per inhabitant of the year's snapshot
  # max_inhabitants: 100000      # count at most this many inhabitants per member
  # per_unit: {landareal-km2: 0}  # kr per unit of a statistic (statistics/NAME/DATE.csv;
  #                              # kn statistic import landareal-km2 FILE --date ...)
  base: 0                        # kr per member on top
"""

_BANDS = """\
# The members' yearly fee is set by their population (docs/reference.md section 13): the first
# band the member's population is below; no budget file is needed.
fee:
  bands:
    - {below: 7000, amount: 0}
    - {below: 15000, amount: 0}
    - {amount: 0}                # the last band has no limit: every larger population
"""


def network_yaml(name: str, administrator: Municipality, members: list[Municipality],
                 year: int, model: str = "share") -> str:
    """A commented ``network.yaml`` with every key and what it means (reference 2, 7, 8, 13);
    ``model`` chooses how the members pay: ``share`` of a budget, a ``rate`` or ``bands``."""
    how = {"share": _SHARE, "rate": _RATE, "bands": _BANDS}[model]
    member_lines = []
    for muni in members:
        member_lines.append(f"  - kommun: {scalar(muni.name)}\n")
    first = members[0].name if members else administrator.name
    admin = scalar(administrator.name)
    return f"""\
# {name}: the cooperation's members and rules, read by kn
# (see docs/reference.md section 2). Every key kn reads is here; the ones commented out (#)
# are optional, with their default.

# The cooperation's name, as in the workbook titles:
name: {scalar(name)}

# förvaltande kommun: the member that employs the staff and invoices the others. To change
# it, list the terms in order:
#   administrator: [{{kommun: {admin}}}, {{kommun: OTHER, from: {year + 1}-01-01}}]
administrator: {scalar(administrator.name)}

notice_months: 12                # a member leaves this many calendar months after its notice

population:                      # which SCB snapshot (populations/YYYY-MM-DD.csv) a year uses
  date: "12-31"                  # month-day of the reference date: "12-31" or "11-01"
  lag: 1                         # fee year {year} uses the snapshot of {year - 1}-12-31
  # by_year: {{{year}: {year - 2}-12-31}}   # explicit choices win over date and lag

{how}\
rounding: 1                      # fees in whole kronor: 1, 10, 100 or 1000; or 0.01 (öre)
rounding_method: largest_remainder   # or each: every fee rounded on its own (may not sum)
surplus: refund                  # a surplus after the year: refund | carry_forward
deficit: charge                  # an overrun after the year: charge | carry_forward

# Invoicing (docs/reference.md sections 8 and 12): what the invoices carry besides the
# amounts. A detail left out is printed as "saknas"; kn validate and kn invoices list it.
invoicing:
  terms_days: 30                 # due this many days after the invoice date (next bank day)
  corrections: replace           # after a revision: replace (credit note and new invoice)
                                 # or difference (one invoice or credit note for the change)
  # prefix: XX                   # numbers read XX-YEAR-CODE (default: the name's initials)
  # sender:                      # the administrator, as the invoices' sender
  #   bankgiro: "NNN-NNNN"       # with a bankgiro or plusgiro, invoices carry an OCR number
  #   plusgiro: null
  #   address: "..."             # the sender's address
  #   contact: "..."             # vår referens

members:                         # name or SCB code; names are matched to SCB's register
{"".join(member_lines)}\
# Each member may also have (shown for {scalar(first)}):
#  - kommun: {scalar(first)}
#    joined: {year}-04-15          # first day as a member (default: before any period)
#    notice: {year}-06-30          # date of its written notice to leave
#    left: {year + 1}-06-30            # first day outside; overrides notice
#    orgnr: "212000-0167"        # organisationsnummer, the invoices' and Peppol's (checked)
#    legal_name: "..."           # the party's name on its invoice, e.g. "Danderyds kommun"
#    reference: "..."            # er referens, printed on its invoice
#    address: "..."              # its invoice address
#    share: 6.5                  # only with key: fixed (percent; all shares sum to 100)
"""


def budget_yaml(name: str, year: int) -> str:
    """``budgets/YEAR.yaml`` with the annex's lines, every amount 0 to fill in."""
    lines = []
    for group, line, form in ANNEX_LINES:
        fields = ", ".join(f"{k}: {v}" for k, v in form.items())
        lines.append(f"  - {{group: {scalar(group)}, name: {scalar(line)}, {fields}}}\n")
    return f"""\
# {name}, budget for fee year {year}.
# Fill in every amount (kronor for the whole year; öre allowed, with a decimal point:
# 1234.50). A line's amount is one of
#   amount: 480000                          a sum
#   amount: 480000, overhead_percent: 38.46  a sum plus overhead (38.46 %)
#   rate: 550, per_month: 4                 550 kr an hour, 4 hours a month, all year
#   rate: 1500, quantity: 40                1 500 kr each, 40 of them
# Lines with nothing to budget may be removed; add lines as you need (see docs/reference.md
# section 2). kn computes every total itself.
year: {year}
period: {{start: {year}-01-01, end: {year}-12-31}}   # the days the budget covers
basis: annual                    # annual: amounts for a whole year, prorated to the period
lines:
{"".join(lines)}\
# Funding: money from outside that lowers what the members pay, one entry a line (remove the
# # before the example to use it).
funding: [
  # {{name: Projektmedel, amount: 100000}},
]
"""
