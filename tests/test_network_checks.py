"""network.yaml's checks beyond its shape, each with its exact lines: every problem of the
file at once, in the order of the file's sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from koordination.core.errors import DataError
from koordination.io.network import load_network

HEAD = "name: Test\nadministrator: Solna\n"
MEMBERS = "members: [Solna, Täby]\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("- name: Test\n", ["expected keys such as name, administrator and members"],
                     id="not-a-mapping"),
        pytest.param(HEAD + "statistics: {Areal: {date: 12-31}}\n" + MEMBERS,
                     ["statistics: 'Areal' is not a statistic's name (lower case letters, "
                      "digits and hyphens, e.g. befolkning-16-64)"], id="statistic-name"),
        pytest.param(HEAD + "population: {date: 1231}\n" + MEMBERS,
                     ["population: expected a month-day such as \"12-31\" or \"11-01\" "
                      "(got '1231')"], id="month-day-shape"),
        pytest.param(HEAD + "population: {date: 02-30}\n" + MEMBERS,
                     ["population: '02-30' is not a day of the year"], id="month-day"),
        pytest.param(HEAD + "members: [{kommun: Solna, joined: 2015-01-01, left: 2015-01-01}, "
                     "Täby]\n",
                     ["members[0].left: left is the day the member joined: it would have no "
                      "day in",
                      "administrator: Solna leaves on 2015-01-01 while it administers the "
                      "cooperation; name the next administrator from 2015-01-01 or earlier "
                      "(administrator: [{kommun: ..., from: ...}, ...])"], id="no-day-in"),
        pytest.param(HEAD + "rounding: 5\n" + MEMBERS,
                     ["rounding: must be 1, 10, 100 or 1000 kronor, or 0.01 (got 5)"],
                     id="rounding"),
        pytest.param(HEAD + "members: [{kommun: Solna, joined: 1800-01-01 00:00:00}, Täby]\n",
                     ["members[0].joined: 1800-01-01 is outside the years kn works with; give "
                      "a date from 1900-01-01 to 2199-12-31"], id="date-time-out-of-range"),
        pytest.param(HEAD + "invoicing: {prefix: KN-2015}\n" + MEMBERS,
                     ["invoicing.prefix: an invoice prefix is 1 to 10 letters or digits, "
                      "nothing else, e.g. KN (the invoice number adds -YEAR-CODE itself) "
                      "(got 'KN-2015')"], id="invoice-prefix"),
        pytest.param(HEAD + "payment_days: 20\ninvoicing: {terms_days: 30}\n" + MEMBERS,
                     ["payment_days: payment_days is 20 but invoicing.terms_days is 30; keep "
                      "only invoicing.terms_days"], id="payment-days"),
        pytest.param(HEAD + "fee: {per_inhabitant: 10}\npopulation_cap: 5000\n" + MEMBERS,
                     ["population_cap: population_cap applies to a key; a fee: rate counts "
                      "at most max_inhabitants instead"], id="fee-and-cap"),
        pytest.param(HEAD + "fee: {base: 100, bands: [{amount: 10}]}\n" + MEMBERS,
                     ["fee: bands set the whole fee; remove base (or the bands)"],
                     id="bands-and-rate"),
        pytest.param(HEAD + "fee: {max_inhabitants: 5000, base: 1}\n" + MEMBERS,
                     ["fee.max_inhabitants: max_inhabitants limits per_inhabitant; add "
                      "per_inhabitant"], id="max-inhabitants-alone"),
        pytest.param(HEAD + "fee: {bands: []}\n" + MEMBERS,
                     ["fee.bands: list at least one band, the last without 'below', e.g. "
                      "[{below: 7000, amount: 5000}, {amount: 10000}]"], id="no-bands"),
        pytest.param(HEAD + "fee: {bands: [{amount: 10}, {below: 100, amount: 20}]}\n" + MEMBERS,
                     ["fee.bands[0]: only the last band may leave out 'below' (it takes every "
                      "larger population); give this band its limit or move it last",
                      "fee.bands: the last band has a limit (below: 100); end the bands with "
                      "one without 'below' for every larger population, e.g. {amount: 80000}"],
                     id="open-band-first"),
        pytest.param(HEAD + "fee: {bands: [{below: 100, amount: 10}, {below: 50, amount: 20}, "
                     "{amount: -1}]}\n" + MEMBERS,
                     ["fee.bands[1].below: below 50 is not above the band before (below 100); "
                      "list the bands from the smallest population up",
                      "fee.bands[2].amount: must not be negative (got -1)"], id="bands-order"),
        pytest.param(HEAD + "parties: [{name: Region X, share: 0}, {name: region x, share: 10}, "
                     "{name: Sundbyberg, share: 95}]\n" + MEMBERS,
                     ["parties[0].share: must be a percent above 0 (got 0)",
                      "parties[1].name: region x is listed twice (also parties[0]); list each "
                      "party once",
                      "parties[2].name: Sundbyberg is a municipality; list it under members "
                      "(parties are members that are not municipalities)",
                      "parties: the parties' shares sum to 105 % (0 + 10 + 95); they must "
                      "leave a part of the total to the municipal members (less than 100)"],
                     id="parties"),
        pytest.param(HEAD + "limits: {max_decrease_percent: 120, floor: 10, ceiling: 5, "
                     "base_per_member: -1}\nrounding_method: each\n" + MEMBERS,
                     ["limits.base_per_member: must not be negative (got -1)",
                      "limits.max_decrease_percent: a fee cannot fall more than 100 % (got "
                      "120)",
                      "limits.floor: the floor (10) is above the ceiling (5); no fee could "
                      "hold both: lower the floor or raise the ceiling",
                      "rounding_method: limits share the total exactly; use rounding_method: "
                      "largest_remainder (or remove limits)"], id="limits"),
        pytest.param(HEAD + "key: {equal: -10, population: 110}\n" + MEMBERS,
                     ["key: weights must not be negative (got equal -10)"],
                     id="negative-weight"),
        pytest.param("name: Test\nadministrator: []\n" + MEMBERS,
                     ["administrator: name at least one administrator"], id="no-administrator"),
        pytest.param("name: Test\nadministrator: Uppsala\n" + MEMBERS,
                     ["administrator: Uppsala is not a member; the administrator must be one "
                      "of the members"], id="administrator-not-member"),
        pytest.param("name: Test\nadministrator: Uppsalaa\n" + MEMBERS,
                     ["administrator: unknown 'Uppsalaa' (did you mean Uppsala?)"],
                     id="administrator-unknown"),
        pytest.param("name: Test\nadministrator: Solnaa\nmembers: [Solnaa, Täby]\n",
                     ["members[0].kommun: unknown 'Solnaa' (did you mean Solna?)"],
                     id="administrator-as-unknown-member"),
        pytest.param("name: Test\nadministrator: [{kommun: Täby, from: 2016-01-01}, "
                     "{kommun: Solna}]\n" + MEMBERS,
                     ["administrator[1]: administrator periods must be in order of their "
                      "'from' dates, each later than the one before (only the first may omit "
                      "'from')"], id="administrator-order"),
        pytest.param(HEAD + "invoicing: {sender: {bankgiro: 123-4567, plusgiro: 1234-6}}\n"
                     + MEMBERS,
                     ["invoicing.sender.bankgiro: '123-4567' has a wrong check digit (mod 10); "
                      "check the number",
                      "invoicing.sender.plusgiro: '1234-6' has a wrong check digit (mod 10); "
                      "check the number"], id="giros"),
        pytest.param(HEAD + "members: [{kommun: Solna, orgnr: '212000-0143', joined: "
                     "2015/01/01}, {kommun: Täbyy, orgnr: x}]\n",
                     ["members[0].joined: expected a date written YYYY-MM-DD (got "
                      "'2015/01/01')",
                      "members[0].orgnr: '212000-0143' has the check digit 3, but its first "
                      "nine digits give 2; check the number against the municipality's "
                      "invoices",
                      "members[1].kommun: unknown 'Täbyy' (did you mean Täby?)",
                      "members[1].orgnr: 'x' is not an organisation number; write it "
                      "NNNNNN-NNNN, e.g. 212000-0142"], id="names-beside-a-wrong-shape"),
    ],
)
def test_every_problem_in_order(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = tmp_path / "network.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_network(path, "network.yaml")
    assert [str(p) for p in caught.value.problems] == [f"network.yaml: {line}"
                                                       for line in expected]
