"""Every label kn writes in a workbook or prints in a table, in Swedish and English.

Swedish is the default (the councils read it); ``--lang en`` gives English. A label missing in
either language is a test failure, not a runtime surprise.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")

LABELS: dict[str, tuple[str, str]] = {
    # Fördelning sheet
    "sheet_allocation": ("Fördelning {year}", "Allocation {year}"),
    "title_allocation": (
        "Fördelning av kostnader för {name} {year}",
        "Allocation of the costs of {name} {year}",
    ),
    "period": ("Period: {start} – {end} ({days} dagar)", "Period: {start} – {end} ({days} days)"),
    "col_kommun": ("Kommun", "Municipality"),
    "col_equal_part": ("Lika del (kr)", "Equal part (kr)"),
    "cap_mark": ("*", "*"),
    "cap_note": ("* räknas med högst {cap} invånare", "* counted as at most {cap} inhabitants"),
    "stat_age_band": ("Befolkning {band} år", "Population aged {band}"),
    "stat_age_from": ("Befolkning {age} år och äldre", "Population aged {age} and over"),
    "col_member": ("Medlem", "Member"),
    "col_population": ("Befolkningsmängd ({date})", "Population ({date})"),
    "col_population_pct": ("Befolkning %", "Population %"),
    "col_share_pct": ("Andel %", "Share %"),
    "col_cost": ("Kostnad {name}", "Cost of {name}"),
    "col_days": ("Dagar", "Days"),
    "col_fee": ("Avgift {year}", "Fee {year}"),
    "col_carried": ("Avräkning {year}", "Settlement {year}"),
    "col_amount": ("Att betala", "To pay"),
    "total": ("Totalt", "Total"),
    "chart_title": ("Kostnad per kommun {year}", "Cost per municipality {year}"),
    "chart_title_amount": (
        "Att betala per kommun {year} (avgift och avräkning {previous})",
        "To pay per municipality {year} (fee and settlement of {previous})",
    ),
    "budget_carried": (
        "Avräkning {previous} som räknas in (överskott −, underskott +)",
        "Settlement of {previous} included (surplus −, overrun +)",
    ),
    "budget_to_pay": ("Att betala för medlemmarna", "To be paid by the members"),
    "m_carried": (
        "Avräkningen för {previous} förs över till {year}: varje kommuns del av {previous} års "
        "överskott räknas av från (underskott läggs på) dess avgift. Avgifterna {year} är "
        "{fees} kr, avräkningen {carried} kr, och medlemmarna betalar {amount} kr. Kolumnen "
        "Att betala är Avgift + Avräkning {previous}, och diagrammet visar Att betala.",
        "The settlement of {previous} is carried into {year}: each member's part of "
        "{previous}'s surplus is deducted from (an overrun added to) its fee. The fees of "
        "{year} are {fees} kr, the settlement {carried} kr, and the members pay {amount} kr. "
        "The column To pay is Fee + Settlement {previous}, and the chart shows To pay.",
    ),
    "chart_axis": ("Kronor", "Kronor (kr)"),
    "chart_data": ("Diagramdata (efter kostnad)", "Chart data (by cost)"),
    "col_cost_short": ("Kostnad", "Cost"),
    # Print: header and footer of every sheet
    "footer_version": ("Underlag framtaget med kn {version}", "Prepared with kn {version}"),
    "page_of": ("Sida {page} av {pages}", "Page {page} of {pages}"),
    # Budget sheet
    "sheet_budget": ("Budget {year}", "Budget {year}"),
    "title_budget": ("Budget för {name} {year}", "Budget of {name} {year}"),
    "col_group": ("Grupp", "Group"),
    "col_line": ("Post", "Line"),
    "col_basis": ("Beräkning", "Computation"),
    "col_yearly": ("Belopp helår (kr)", "Yearly amount (kr)"),
    "col_for_period": ("Belopp för perioden (kr)", "Amount for the period (kr)"),
    "budget_total": ("TOTALT", "TOTAL"),
    "funding": ("Finansiering", "Funding"),
    "to_allocate": ("Att fördela på medlemmarna", "To be shared among the members"),
    # Underlag sheet
    "sheet_basis": ("Underlag", "Basis"),
    "title_basis": ("Underlag för fördelningen {year}", "Basis of the allocation {year}"),
    "col_code": ("Kommunkod", "Code"),
    "col_weight": ("Räknad befolkning", "Population counted"),
    "col_exact": ("Exakt belopp", "Exact amount"),
    "col_rounded": ("Avrundat belopp", "Rounded amount"),
    "col_adjustment": ("Avrundning", "Rounding adjustment"),
    "segments": ("Perioder med samma medlemmar", "Segments with the same members"),
    "col_from": ("Från", "From"),
    "col_to": ("Till", "To"),
    "col_members": ("Medlemmar", "Members"),
    "col_segment_cost": ("Kostnad", "Cost"),
    "snapshot": ("Befolkningsuppgift", "Population snapshot"),
    "snapshot_date": ("Referensdatum", "Reference date"),
    "inputs": ("Indatafiler (SHA-256)", "Input files (SHA-256)"),
    "data_folder": ("Datakatalog", "Data directory"),
    "col_file": ("Fil", "File"),
    "col_checksum": ("Kontrollsumma", "Checksum"),
    "version": ("Framtaget med kn {version}", "Prepared with kn {version}"),
    "rounding_check": (
        "Kontroll: summan av avrundade belopp är lika med totalen",
        "Check: the rounded amounts sum to the total",
    ),
    "largest_adjustment": ("Största avrundning", "Largest adjustment"),
    # Metod sheet
    "sheet_method": ("Metod", "Method"),
    "title_method": ("Så har fördelningen räknats", "How the allocation was computed"),
    # Metod sheet: the rules as applied
    "m_snapshot": (
        "Befolkning: SCB:s folkmängd per {date} (fil {file}).",
        "Population: SCB's registered population on {date} (file {file}).",
    ),
    "m_period_annual": (
        "Period: {start} – {end}, {days} av årets {year_days} dagar. Budgetposterna är "
        "helårsbelopp och räknas om med {days}/{year_days}.",
        "Period: {start} – {end}, {days} of the year's {year_days} days. The budget lines are "
        "yearly amounts, prorated by {days}/{year_days}.",
    ),
    "m_period_period": (
        "Period: {start} – {end} ({days} dagar). Budgetposterna gäller perioden som de står.",
        "Period: {start} – {end} ({days} days). The budget lines are for the period as written.",
    ),
    "m_total": (
        "Att fördela: summan av posterna för perioden ({gross} kr) minus extern finansiering "
        "({funding} kr), avrundat till {unit} kr (halvt uppåt): {total} kr.",
        "To allocate: the lines for the period ({gross} kr) less outside funding "
        "({funding} kr), rounded to {unit} kr (half up): {total} kr.",
    ),
    "m_key_population": (
        "Fördelningsnyckel: befolkning. Andel = kommunens folkmängd / summan av "
        "medlemmarnas folkmängd.",
        "Key: population. Share = the municipality's population / the members' total population.",
    ),
    "m_key_equal_population": (
        "Fördelningsnyckel: {equal} % lika delar och {population} % efter befolkning. "
        "Andel = {equal}/100 × 1/n + {population}/100 × folkmängd / summa folkmängd.",
        "Key: {equal} % in equal parts and {population} % by population. "
        "Share = {equal}/100 × 1/n + {population}/100 × population / total population.",
    ),
    "m_key_fixed": (
        "Fördelningsnyckel: fasta andelar enligt avtalet, omräknade över de medlemmar som är "
        "med. Andel = kommunens andel / summan av andelarna.",
        "Key: fixed shares from the agreement, renormalised over the members present. "
        "Share = the member's share / the sum of the shares.",
    ),
    "m_cap": (
        "Befolkningstak: högst {cap} invånare räknas per kommun.",
        "Population cap: at most {cap} inhabitants are counted per municipality.",
    ),
    "m_segments_none": (
        "Alla {n} medlemmar var med hela perioden.",
        "All {n} members were in for the whole period.",
    ),
    "m_segments": (
        "Medlemskapet ändrades under perioden: den delades i {count} delperioder där samma "
        "medlemmar var med. Varje delperiod bär totalen × dagar i delperioden / dagar i "
        "perioden och fördelas mellan delperiodens medlemmar med nyckeln. En medlem är med "
        "från anslutningsdagen och till dagen före utträdet; utträdet sker {months} månader "
        "efter uppsägningen.",
        "Membership changed during the period: it was cut into {count} segments with the same "
        "members. Each segment carries the total × its days / the period's days and is shared "
        "among its members by the key. A member is in from the day it joined until the day "
        "before it leaves; it leaves {months} months after its notice.",
    ),
    "m_rounding": (
        "Avrundning: varje kommuns exakta belopp avkortas till {unit} kr; de kronor som blir "
        "över går en i taget till de största resterna (vid lika rest: störst folkmängd, sedan "
        "lägst kommunkod). Beloppen summerar exakt till totalen och avviker högst {unit} kr "
        "från det exakta beloppet.",
        "Rounding: each member's exact amount is cut to {unit} kr; the units left over go one "
        "each to the largest remainders (ties: larger population, then lower code). The "
        "amounts sum exactly to the total, each within {unit} kr of its exact value.",
    ),
    "m_percent": (
        "Procent: kommunens exakta belopp / totalen × 100, två decimaler, summerar till 100,00.",
        "Percent: the member's exact amount / the total × 100, two decimals, summing to 100.00.",
    ),
    "m_funding": (
        "Extern finansiering ({names}) visas per kommun fördelad med samma nyckel.",
        "Outside funding ({names}) is shown per member, shared by the same key.",
    ),
    "m_vat": (
        "Ingen moms tillkommer: kostnadsfördelning inom kommunal samverkan.",
        "No VAT is added: cost sharing within a cooperation of municipalities.",
    ),
    # Settlement (kn settle): Avräkning, Budget mot utfall, Underlag, Metod
    "sheet_settlement": ("Avräkning {year}", "Settlement {year}"),
    "title_settlement": (
        "Avräkning för {name} {year}", "Settlement of {name} {year}",
    ),
    "s_col_charged": ("Debiterat {year}", "Charged {year}"),
    "s_col_share_actual": ("Andel av nettokostnaden", "Share of the net cost"),
    "s_col_settlement": ("Avräkning", "Settlement"),
    "s_col_one_off": ("{name} ({date})", "{name} ({date})"),
    "s_col_carried": ("Flyttas till avgiften {year}", "Moved to the fee {year}"),
    "s_col_to_pay": (
        "Att fakturera (+) / betala tillbaka (−) nu", "Invoiced (+) / paid back (−) now"
    ),
    "unit_kr": ("{text} (kr)", "{text} (kr)"),
    "s_actual": ("Utfall kostnader", "Actual costs"),
    "s_funding": ("Utfall finansiering", "Actual funding"),
    "s_net": ("Nettokostnad", "Net cost"),
    "s_charged": ("Debiterade avgifter {year}", "Fees charged {year}"),
    "s_carried_in": (
        "Avräkning från {year} i avgiften (hör till {year} års avräkning)",
        "Settlement of {year} in the fee (belongs to {year}'s settlement)",
    ),
    "s_difference": ("Skillnad att fördela", "Difference to share"),
    "s_overrun": ("Underskott att täcka", "Overrun to cover"),
    "s_surplus": ("Överskott att återbetala", "Surplus to refund"),
    "s_balanced": ("Utfallet är lika med debiterat", "The outcome equals the fees charged"),
    "s_one_offs": ("Engångskostnader", "One-off costs"),
    "s_total": (
        "Avräkning och engångskostnader, summa", "Settlement and one-off costs, together"
    ),
    "s_carried_forward": (
        "Flyttas till avgiften {year} (minus: avgiften blir lägre)",
        "Moved to the fee {year} (minus: the fee is lower)",
    ),
    "s_to_invoice": (
        "Att fakturera (+) / betala tillbaka (−) nu", "Invoiced (+) / paid back (−) now"
    ),
    "s_shared_by": ("Delas av {n} medlemmar per {date}", "Shared by {n} members on {date}"),
    "s_col_date": ("Datum", "Date"),
    "s_col_amount": ("Belopp", "Amount"),
    "s_col_sharing": ("Delas av", "Shared by"),
    # Forecast (kn settle on actuals with through:): the expected settlement
    "forecast": ("Prognos {year} per {date}", "Forecast {year} as of {date}"),
    "sheet_forecast": ("Prognos {year}", "Forecast {year}"),
    "title_forecast": (
        "Prognos {year} per {date}: förväntad avräkning för {name}",
        "Forecast {year} as of {date}: expected settlement of {name}",
    ),
    "f_so_far": ("Utfall t.o.m. {date}", "Outcome through {date}"),
    "f_expected": ("Prognos kostnader helår", "Forecast costs, whole year"),
    "f_funding": ("Finansiering", "Funding"),
    "f_col_settlement": ("Förväntad avräkning", "Expected settlement"),
    "f_col_to_pay": (
        "Väntas faktureras (+) / betalas tillbaka (−)",
        "Expected to be invoiced (+) / paid back (−)",
    ),
    "f_col_carried": ("Väntas flyttas till avgiften {year}", "Expected to move to the fee {year}"),
    "f_col_forecast": ("Prognos helår", "Forecast, whole year"),
    "f_col_source": ("Prognosen bygger på", "The forecast rests on"),
    "f_source_forecast": ("Angiven prognos", "The forecast given"),
    "f_source_budget": ("Budget för perioden", "The budget for the period"),
    "f_source_so_far": ("Utfall hittills (ej i budget)", "The outcome so far (not in the budget)"),
    "f_note": (
        "En prognos är inget beslut: den kan inte fastställas (--final), ger inga fakturor och "
        "förs inte in i nästa års avgift.",
        "A forecast is no decision: it cannot be recorded (--final), gives no invoices and is "
        "never carried into next year's fee.",
    ),
    "fm_basis": (
        "Prognosen: utfallet t.o.m. {date} ({so_far} kr) är känt. För varje budgetrad räknas "
        "radens angivna prognos för helåret, annars radens budget för perioden; en rad som "
        "inte finns i budgeten räknas med sin prognos, annars med sitt utfall hittills. "
        "Finansiering och engångskostnader räknas som de står. Det förväntade utfallet "
        "({expected} kr) avräknas sedan på samma sätt som vid årets slut.",
        "The forecast: the outcome through {date} ({so_far} kr) is known. Each budget line "
        "counts with its forecast for the whole year where one is given, else with its budget "
        "for the period; a line not in the budget counts with its forecast, else with its "
        "outcome so far. Funding and one-off costs count as written. The expected outcome "
        "({expected} kr) is then settled as the year's outcome will be.",
    ),
    # The year's report (kn report)
    "sheet_report": ("Rapport {year}", "Report {year}"),
    "title_report": ("Ekonomisk rapport {year} för {name}",
                     "Financial report {year} of {name}"),
    "title_report_forecast": (
        "Ekonomisk rapport {year} för {name}: prognos per {date}",
        "Financial report {year} of {name}: forecast as of {date}",
    ),
    "r_col_group": ("Grupp", "Group"),
    "r_col_budget": ("Budget", "Budget"),
    "r_col_outcome": ("Utfall", "Outcome"),
    "r_col_outcome_forecast": ("Prognos helår", "Forecast, whole year"),
    "r_col_variance": ("Avvikelse", "Variance"),
    "r_col_variance_pct": ("Avvikelse %", "Variance %"),
    "r_not_in_budget": ("Ej i budgeten", "Not in the budget"),
    "r_lines": ("Budget och utfall per post", "Budget and outcome per line"),
    "r_groups": ("Per grupp", "Per group"),
    "r_costs": ("Kostnader", "Costs"),
    "r_net": ("Nettokostnad", "Net cost"),
    "r_one_off": ("Engångskostnader", "One-off costs"),
    "r_fees": ("Debiterade avgifter {year}", "Fees charged {year}"),
    "r_fees_decided": ("enligt beslutet {file}", "as decided, {file}"),
    "r_difference": ("Avräkning (utfall − avgifter)", "Settlement (outcome − fees)"),
    "r_difference_forecast": ("Förväntad avräkning", "Expected settlement"),
    "r_carried_in": ("Avräkning {year} som ingick i avgiften", "Settlement of {year} in the fee"),
    "r_carried_out": ("Förs till avgiften {year}", "Carried to the fee {year}"),
    "r_members_total": ("Medlemmarnas kostnad {year}", "The members' cost {year}"),
    "r_population": ("Invånare ({date})", "Inhabitants ({date})"),
    "r_fees_per": ("Avgift per invånare", "Fee per inhabitant"),
    "r_outcome_per": ("Kostnad per invånare", "Cost per inhabitant"),
    "r_key_figures": ("Nyckeltal", "Key figures"),
    "r_settlement": ("Avräkning per kommun", "Settlement per municipality"),
    "r_col_amount": ("Att betala (+) / få tillbaka (−)", "To pay (+) / to get back (−)"),
    "r_chart": ("Budget och utfall per grupp {year}", "Budget and outcome per group {year}"),
    "r_signs": (
        "Avvikelse = utfall − budget: plus är ett överskridande, minus ett överskott.",
        "Variance = outcome − budget: plus is an overrun, minus a saving.",
    ),
    "fm_when_closed": (
        "Ingenting faktureras på en prognos: när året har avräknats faktureras ett underskott "
        "och ett överskott betalas tillbaka, eller förs till nästa års avgift, enligt "
        "samverkans regler.",
        "Nothing is invoiced on a forecast: once the year has been settled, an overrun is "
        "invoiced and a surplus paid back, or moved to next year's fee, by the cooperation's "
        "rules.",
    ),
    "sheet_budget_actual": ("Budget mot utfall", "Budget and actual"),
    "title_budget_actual": (
        "Budget mot utfall {name} {year}", "Budget and actual costs of {name} {year}",
    ),
    "ba_col_budget": ("Budget för perioden", "Budget for the period"),
    "ba_col_actual": ("Utfall", "Actual"),
    "ba_col_difference": ("Skillnad", "Difference"),
    "ba_col_percent": ("Avvikelse %", "Deviation %"),
    "ba_not_in_budget": ("(ej i budget)", "(not in the budget)"),
    "ba_not_in_actuals": ("(inget utfall)", "(no actual cost)"),
    "ba_net": ("Netto", "Net"),
    "title_settlement_basis": ("Underlag för avräkningen {year}", "Basis of the settlement {year}"),
    "s_col_exact": ("Exakt avräkning", "Exact settlement"),
    "s_col_rounded": ("Avrundad avräkning", "Rounded settlement"),
    "title_settlement_method": ("Så har avräkningen räknats", "How the settlement was computed"),
    "sm_difference": (
        "Skillnad: utfallets kostnader ({actual} kr) minus utfallets finansiering ({funding} kr) "
        "minus de avgifter som debiterats för {year} ({charged} kr), avrundat till {unit} kr "
        "(halvt uppåt): {difference} kr. Belopp som förts över från året före hör till det "
        "årets avräkning och räknas inte med.",
        "Difference: the actual costs ({actual} kr) less the actual funding ({funding} kr) "
        "less the fees charged for {year} ({charged} kr), rounded to {unit} kr (half up): "
        "{difference} kr. Amounts carried from the year before belong to that year's "
        "settlement and are not counted.",
    ),
    "fm_difference": (
        "Förväntad skillnad: de förväntade kostnaderna ({actual} kr) minus finansieringen "
        "({funding} kr) minus de avgifter som debiterats för {year} ({charged} kr), avrundat "
        "till {unit} kr (halvt uppåt): {difference} kr. Belopp som förts över från året före "
        "hör till det årets avräkning och räknas inte med.",
        "Expected difference: the expected costs ({actual} kr) less the funding ({funding} kr) "
        "less the fees charged for {year} ({charged} kr), rounded to {unit} kr (half up): "
        "{difference} kr. Amounts carried from the year before belong to that year's "
        "settlement and are not counted.",
    ),
    "sm_charged": (
        "Debiterade avgifter: räknade på nytt från samma underlag som fördelningen för {year}.",
        "Fees charged: recomputed from the same inputs as the allocation of {year}.",
    ),
    # Population import and fetch: what was written
    "pu_written": ("Skrev", "wrote"),
    "read_sheet": ("Budgeten lästes från bladet '{sheet}' i {path}.",
                   "The budget was read from the sheet '{sheet}' of {path}."),
    "pu_replaced": (
        "Ersatte (ändrade kommuner: {count})",
        "replaced (municipalities changed: {count})",
    ),
    "pu_unchanged": (
        "Oförändrad, innehåller redan dessa siffror:",
        "unchanged, already holds these figures:",
    ),
    "pu_report": (
        "{what} {path}: {count} {n_municipality}, {total} invånare, referensdatum {day} "
        "(från {source}{extra})",
        "{what} {path}: {count} {n_municipality}, {total} inhabitants, reference date {day} "
        "(from {source}{extra})",
    ),
    "pu_left_out": (
        "; {count} {n_row} för riket och län utelämnade",
        "; {count} {n_row} for Riket and counties left out",
    ),
    "pu_noise": (
        "; SCB lägger till ett litet brus i siffrorna från 2025 (se populations/README.md)",
        "; SCB adds small noise to figures from 2025 (see populations/README.md)",
    ),
    "pu_fetching": ("Hämtar {year} från SCB", "fetching {year} from SCB"),
    # Decisions: notes printed by kn allocate about the decided record
    "d_decision": ("beslutet {when}", "the decision of {when}"),
    "d_revision": ("revision {number} av {when}", "revision {number} of {when}"),
    "d_settlement_decision": ("avräkningsbeslutet {when}", "the settlement decision of {when}"),
    "d_settlement_recorded": (
        "Avräkningsbeslutet {when} har registrerats: {path}",
        "settlement decision of {when} recorded: {path}",
    ),
    "d_recorded": (
        "Beslutet {when} har registrerats: {path}",
        "decision of {when} recorded: {path}",
    ),
    "d_matches": ("Stämmer med {record} ({path})", "matches {record} ({path})"),
    "d_input_same": (
        "Indatafil ändrad utan att något belopp ändrats: {name}",
        "input changed without changing an amount: {name}",
    ),
    "d_already": (
        "{year} är redan beslutat; inget nytt har registrerats",
        "{year} is already decided; nothing new was recorded",
    ),
    "d_revision_recorded": (
        "Revision {number} av {record} har registrerats: {path}",
        "revision {number} of {record} recorded: {path}",
    ),
    "d_revision_workbook": ("Revisionsarbetsbok: {path}", "revision workbook: {path}"),
    "d_difference": (
        "{name} ({code}): beslutat {decided}, nytt {new}, skillnad {change}",
        "{name} ({code}): decided {decided}, new {new}, difference {change}",
    ),
    "d_not_member": ("inte medlem", "not a member"),
    "d_input_changed": ("Ändrad indatafil: {name}", "input changed: {name}"),
    "sm_charged_decision": (
        "Debiterade avgifter: enligt det beslut som gäller för {year} ({file}).",
        "Fees charged: as decided for {year} ({file}).",
    ),
    "sm_key": (
        "Skillnaden fördelas med samma nyckel, befolkningsuppgift ({date}) och perioder med "
        "samma medlemmar som årets fördelning.",
        "The difference is shared by the same key, population snapshot ({date}) and "
        "membership segments as the year's allocation.",
    ),
    "sm_refund": (
        "Ett överskott betalas tillbaka till medlemmarna nu.",
        "A surplus is paid back to the members now.",
    ),
    "sm_charge": (
        "Ett underskott faktureras medlemmarna nu.", "An overrun is invoiced to the members now.",
    ),
    "sm_balanced": (
        "Utfallet är lika med de debiterade avgifterna: ingen avräkning.",
        "The outcome equals the fees charged: nothing to settle.",
    ),
    "s_signs": (
        "Tecken: plus = kommunen betalar (mer), minus = kommunen betalar mindre eller får "
        "tillbaka; det som flyttas till nästa års avgift har samma tecken som i nästa års "
        "bilaga. Att fakturera eller betala tillbaka nu = avräkning + engångskostnader − det "
        "som flyttas till nästa års avgift.",
        "Signs: plus = the municipality pays (more), minus = it pays less or gets money back; "
        "what moves to next year's fee has the sign it has in next year's annex. Invoiced or "
        "paid back now = settlement + one-off costs − what moves to next year's fee.",
    ),
    "s_note_leaves": (
        "inte medlem {year}: avräknas nu", "not a member in {year}: settled now",
    ),
    "s_note_zero": ("ingen avräkning", "nothing to settle"),
    "sm_one_off": (
        "Engångskostnader delas var för sig mellan de medlemmar som var med på kostnadens "
        "datum, med nyckeln, och avrundas var för sig. De faktureras alltid.",
        "One-off costs are each shared among the members on the cost's date, by the key, and "
        "rounded on their own. They are always invoiced.",
    ),
    "sm_carry_surplus": (
        "Överskott förs över: en medlem som är med {next} får sin del av överskottet avräknad "
        "mot avgiften {next}; en medlem som inte är med {next} får tillbaka sin del nu.",
        "A surplus is carried forward: a member still in {next} has its share deducted from "
        "its fee for {next}; a member not in {next} gets its share back now.",
    ),
    "sm_carry_deficit": (
        "Underskott förs över: en medlem som är med {next} får sin del av underskottet lagd "
        "på avgiften {next}; en medlem som inte är med {next} debiteras sin del nu.",
        "An overrun is carried forward: a member still in {next} has its share added to its "
        "fee for {next}; a member not in {next} is charged its share now.",
    ),
    # Explain (kn explain) and what-if (kn allocate --with/--without), rounding report
    "x_title": (
        "Varför betalar {name} {fee}? – {network} {year}",
        "Why does {name} pay {fee}? – {network} {year}",
    ),
    "x_answer": (
        "{name} betalar {fee} för {year} ({start} – {end}, {days} dagar).{member} Så här "
        "har beloppet räknats fram:",
        "{name} pays {fee} for {year} ({start} – {end}, {days} days).{member} This is how the "
        "amount was computed:",
    ),
    "x_member_days": (
        " {name} var medlem {days} av dem.",
        " {name} was a member for {days} of them.",
    ),
    "x_population": (
        "Befolkning: {name} hade {population} invånare enligt SCB per {date} (fil {file}).",
        "Population: {name} had {population} inhabitants according to SCB on {date} "
        "(file {file}).",
    ),
    "x_cap": (
        "Befolkningstak: högst {cap} invånare räknas per kommun, så {name} räknas med {weight} "
        "av sina {population} invånare.",
        "Population cap: at most {cap} inhabitants count per municipality, so {name} counts "
        "{weight} of its {population} inhabitants.",
    ),
    "x_cap_not_reached": (
        "Befolkningstak: högst {cap} invånare räknas per kommun; {name} ligger under taket och "
        "räknas med hela sin folkmängd.",
        "Population cap: at most {cap} inhabitants count per municipality; {name} is below it "
        "and counts its whole population.",
    ),
    "x_total": (
        "Att fördela: budgetens poster för perioden {gross} minus extern finansiering "
        "{funding} = {total} (avrundat till {unit}).",
        "To allocate: the budget lines for the period {gross} less outside funding {funding} "
        "= {total} (rounded to {unit}).",
    ),
    "x_total_plain": (
        "Att fördela: budgetens poster för perioden, {total} (avrundat till {unit}).",
        "To allocate: the budget lines for the period, {total} (rounded to {unit}).",
    ),
    "x_key_population": (
        "Nyckel: befolkning. {gen} andel = {weight} / {sigma} (summan för alla {n} "
        "medlemmar) = {share}.",
        "Key: population. {gen} share = {weight} / {sigma} (the sum for all {n} "
        "members) = {share}.",
    ),
    "x_key_equal_population": (
        "Nyckel: {equal} % lika delar och {population} % efter befolkning. Lika del: "
        "{equal} % / {n} medlemmar = {equal_part}. Befolkningsdel: {population} % × "
        "{weight} / {sigma} = {population_part}. Andel: {share}.",
        "Key: {equal} % in equal parts and {population} % by population. Equal part: "
        "{equal} % / {n} members = {equal_part}. Population part: {population} % × "
        "{weight} / {sigma} = {population_part}. Share: {share}.",
    ),
    "x_key_fixed": (
        "Nyckel: fasta andelar enligt avtalet. {gen} andel är {fixed} %; de närvarande "
        "medlemmarnas andelar summerar till {fixed_sum} %, så andelen blir {fixed} / "
        "{fixed_sum} = {share}.",
        "Key: fixed shares from the agreement. {gen} share is {fixed} %; the shares of "
        "the members present sum to {fixed_sum} %, so its share is {fixed} / {fixed_sum} "
        "= {share}.",
    ),
    "x_keyname_population": (
        "Nyckel: befolkning; andel = räknad folkmängd / summan för delperiodens medlemmar.",
        "Key: population; share = population counted / the sum for the segment's members.",
    ),
    "x_keyname_equal_population": (
        "Nyckel: {equal} % lika delar mellan delperiodens medlemmar och {population} % efter "
        "befolkning.",
        "Key: {equal} % in equal parts among the segment's members and {population} % by "
        "population.",
    ),
    "x_keyname_fixed": (
        "Nyckel: fasta andelar enligt avtalet ({gen} andel {fixed} %), omräknade över "
        "delperiodens medlemmar.",
        "Key: fixed shares from the agreement ({gen} share {fixed} %), renormalised over the "
        "segment's members.",
    ),
    "x_exact_one": (
        "Exakt belopp: {total} × {factor} = {exact}.",
        "Exact amount: {total} × {factor} = {exact}.",
    ),
    "x_segments": (
        "Medlemskapet ändrades under perioden, så den delas i {count} delperioder; varje "
        "delperiod bär totalen × dagar / {period_days} dagar:",
        "Membership changed during the period, so it is cut into {count} segments; each "
        "carries the total × its days / {period_days} days:",
    ),
    "x_segment": (
        "  {start} – {end} ({days} dagar): kostnad {cost}; {members} medlemmar; {detail}",
        "  {start} – {end} ({days} days): cost {cost}; {members} members; {detail}",
    ),
    "x_segment_share": ("andel {share} → {amount}", "share {share} → {amount}"),
    "x_segment_absent": ("{name} var inte medlem → 0", "{name} was not a member → 0"),
    "x_segment_equal": (
        "lika del {equal_part} + befolkningsdel {population_part} (Σ {sigma}) = {share} → "
        "{amount}",
        "equal part {equal_part} + population part {population_part} (Σ {sigma}) = {share} "
        "→ {amount}",
    ),
    "x_segment_population": (
        "{weight} / {sigma} = {share} → {amount}",
        "{weight} / {sigma} = {share} → {amount}",
    ),
    "x_segment_fixed": (
        "{fixed} / {fixed_sum} = {share} → {amount}",
        "{fixed} / {fixed_sum} = {share} → {amount}",
    ),
    "x_exact_sum": (
        "Exakt belopp: summan av delperioderna = {exact}.",
        "Exact amount: the sum over the segments = {exact}.",
    ),
    "x_rounding": (
        "Avrundning till {unit}: det exakta beloppet avkortas till {truncated} och resten är "
        "{remainder}. {left_text} {gen} rest är den {rank} största av {n}, {outcome}",
        "Rounding to {unit}: the exact amount is cut to {truncated}, leaving a remainder of "
        "{remainder}. {left_text} {gen} remainder is the {rank} largest of {n}, {outcome}",
    ),
    "x_left_none": (
        "När alla {n} medlemmars belopp avkortats blev inga enheter över.",
        "After cutting all {n} members' amounts, no units were left over.",
    ),
    "x_left_one": (
        "När alla {n} medlemmars belopp avkortats återstod 1 enhet; den gick till den största "
        "resten.",
        "After cutting all {n} members' amounts, 1 unit was left over; it went to the largest "
        "remainder.",
    ),
    "x_left_many": (
        "När alla {n} medlemmars belopp avkortats återstod {left} enheter; de gick en var till "
        "de {left} största resterna.",
        "After cutting all {n} members' amounts, {left} units were left over, one each to the "
        "{left} largest remainders.",
    ),
    "x_got_unit": (
        "så {name} fick en av dem: {extra}.",
        "so {name} got one of them: {extra}.",
    ),
    "x_no_unit": (
        "så {name} fick ingen: {extra}.",
        "so {name} got none: {extra}.",
    ),
    "x_tie": (
        " Lika rest som en annan medlem: regeln vid lika rest (störst folkmängd, sedan lägst "
        "kommunkod) avgjorde.",
        " Equal remainder with another member: the tie rule (larger population, then lower "
        "code) decided.",
    ),
    "x_rate": (
        "Årsavgift enligt förbundets taxa: {terms} = {yearly}.",
        "Yearly fee by the cooperation's rate: {terms} = {yearly}.",
    ),
    "x_rate_inhabitants": ("{rate} × {counted} invånare", "{rate} × {counted} inhabitants"),
    "x_rate_capped": (
        "{rate} × {counted} invånare (högst {cap} räknas av {population})",
        "{rate} × {counted} inhabitants (at most {cap} counted of {population})",
    ),
    "x_rate_unit": ("{rate} × {value} {name}", "{rate} × {value} {name}"),
    "x_rate_base": ("{base} per medlem", "{base} per member"),
    "x_band": (
        "Avgiftstrappa: {population} invånare är under {below}, så årsavgiften är {amount}.",
        "Fee bands: {population} inhabitants is below {below}, so the yearly fee is {amount}.",
    ),
    "x_band_last": (
        "Avgiftstrappa: {population} invånare är minst {below} (sista steget), så "
        "årsavgiften är {amount}.",
        "Fee bands: {population} inhabitants is at least {below} (the last band), so the "
        "yearly fee is {amount}.",
    ),
    "x_rate_days": (
        "För {days} av årets {year_days} dagar: {yearly} × {days} / {year_days} = {exact}, "
        "avrundat halvt uppåt till {unit}: {fee}.",
        "For {days} of the year's {year_days} days: {yearly} × {days} / {year_days} = "
        "{exact}, rounded half up to {unit}: {fee}.",
    ),
    "x_rate_total": (
        "Summan av alla {n} medlemmars avgifter är {total}; {name} betalar {percent} av den.",
        "The {n} members' fees sum to {total}; {name} pays {percent} of it.",
    ),
    "x_party": (
        "{name} är en part som inte är en kommun och tar först sin fasta andel, {share} %, av "
        "totalen: {total} × {share} % = {exact}, avrundat halvt uppåt till {unit}: {fee} "
        "(delas inte upp på delperioder).",
        "{name} is a party that is not a municipality and takes its fixed part first, "
        "{share} %, of the total: {total} × {share} % = {exact}, rounded half up to {unit}: "
        "{fee} (not divided by segments).",
    ),
    "x_party_rest": (
        "Kommunerna delar resten, {rest}, efter nyckeln.",
        "The municipalities share the rest, {rest}, by the key.",
    ),
    "x_parties_first": (
        "Parterna som inte är kommuner tar först sina fasta andelar ({parts}); kommunerna "
        "delar resten, {rest}, och det är den som fördelas nedan.",
        "The parties that are not municipalities take their fixed parts first ({parts}); the "
        "municipalities share the rest, {rest}, and that is what is shared below.",
    ),
    "x_limits": (
        "Gränser: först {base} per medlem för dess dagar, resten efter nyckeln ({share} av "
        "resten); med faktorn c = {c} blir det {free}. {name}s gränser: lägst {lower}, högst "
        "{upper}{last}. {outcome}",
        "Limits: first {base} per member for its days, the rest by the key ({share} of the "
        "rest); with the factor c = {c} that is {free}. {name}'s bounds: at least {lower}, at "
        "most {upper}{last}. {outcome}",
    ),
    "x_limits_last": (" (förra årets avgift {last})", " (last year's fee {last})"),
    "x_limits_none": ("ingen", "none"),
    "x_limits_held_lower": (
        "{name} hålls vid sin undre gräns, {fee}; övriga delar resten igen.",
        "{name} is held at its lower bound, {fee}; the others share the rest again.",
    ),
    "x_limits_held_upper": (
        "{name} hålls vid sin övre gräns, {fee}; övriga delar resten igen.",
        "{name} is held at its upper bound, {fee}; the others share the rest again.",
    ),
    "x_limits_free": (
        "Beloppet ligger inom gränserna och avrundas enligt regel 7.",
        "The amount is within the bounds and is rounded by rule 7.",
    ),
    "m_parties": (
        "Parter som inte är kommuner tar först en fast andel av totalen, var och en avrundad "
        "halvt uppåt på egen hand och inte uppdelad på delperioder: {parts}. Kommunerna "
        "delar resten efter nyckeln, så att summan stämmer exakt. Ett över- eller underskott "
        "och engångskostnader delas på samma sätt.",
        "Parties that are not municipalities take a fixed part of the total first, each "
        "rounded half up on its own and not divided by segments: {parts}. The municipalities "
        "share the rest by the key, so that the sum is exact. An overrun or surplus and "
        "one-off costs are shared the same way.",
    ),
    "m_limits": (
        "Gränser: varje medlem får först {base} kr per år för sina dagar och resten delas "
        "efter nyckeln. Golv {floor} kr och tak {ceiling} kr per år (för medlemmens dagar), "
        "högst {down} % lägre och {up} % högre än förra årets avgift. Den undre gränsen "
        "avrundas uppåt och den övre nedåt. En medlem som skulle hamna utanför hålls vid sin "
        "gräns och övriga delar resten igen efter nyckeln tills ingen går över en gräns "
        "({held} hölls); övriga avrundas som ovan.",
        "Limits: every member first gets {base} kr a year for its days and the rest is "
        "shared by the key. Floor {floor} kr and ceiling {ceiling} kr a year (for the "
        "member's days), at most {down} % lower and {up} % higher than last year's fee. The "
        "lower bound is rounded up and the upper down. A member that would fall outside is "
        "held at its bound and the others share the rest by the key again until none crosses "
        "a bound ({held} held); the others are rounded as above.",
    ),
    "m_rate": (
        "Avgiften sätts av en taxa, inte av en budget: {per_inhabitant} kr per invånare"
        "{cap}{units}, plus {base} kr per medlem, per år.",
        "The fee is set by a rate, not by a budget: {per_inhabitant} kr per inhabitant"
        "{cap}{units}, plus {base} kr per member, a year.",
    ),
    "m_rate_cap": (" (högst {cap} invånare räknas)", " (at most {cap} inhabitants counted)"),
    "m_rate_unit": (", {rate} kr per enhet av {name}", ", {rate} kr per unit of {name}"),
    "m_bands": (
        "Avgiften sätts efter befolkningen (det första steget medlemmen är under): {bands}.",
        "The fee is set by population (the first band the member is below): {bands}.",
    ),
    "m_band": ("under {below} invånare {amount} kr", "below {below} inhabitants {amount} kr"),
    "m_band_last": ("därutöver {amount} kr", "above that {amount} kr"),
    "m_rate_days": (
        "Varje medlems årsavgift gånger dess dagar som medlem / årets dagar, avrundad halvt "
        "uppåt till {unit} kr på egen hand; totalen är summan av avgifterna, {total} kr.",
        "Each member's yearly fee times its days as a member / the days of the year, rounded "
        "half up to {unit} kr on its own; the total is the sum of the fees, {total} kr.",
    ),
    "m_rate_budget": (
        "Budgeten för perioden är {budget} kr; avgifterna skiljer sig från den med "
        "{difference} kr.",
        "The budget for the period is {budget} kr; the fees differ from it by {difference} kr.",
    ),
    "x_fee": (
        "Avgift: {exact} {adjustment} = {fee}, {percent} av totalen {total}.",
        "Fee: {exact} {adjustment} = {fee}, {percent} of the total {total}.",
    ),
    "x_carried": (
        "Avräkning från {prev} som läggs till avgiften: {carried}. Att betala: {amount}.",
        "Settlement from {prev} added to the fee: {carried}. To pay: {amount}.",
    ),
    "x_effect_weighted": (
        "Nyckelns verkan: med en ren befolkningsnyckel (utan tak) vore det exakta beloppet "
        "{plain}; nyckeln i kraft ger {name} {difference}.",
        "The key's effect: with a plain population key (no cap) the exact amount would be "
        "{plain}; the key in force gives {name} {difference}.",
    ),
    "x_effect_equal": (
        "Den lika delen: med en ren befolkningsnyckel (utan tak) vore det exakta beloppet "
        "{plain}; nyckeln i kraft ger {name} {difference}.",
        "The equal part: with a plain population key (no cap) the exact amount would be "
        "{plain}; the key in force gives {name} {difference}.",
    ),
    "x_effect_cap": (
        "Taket: utan befolkningstak vore det exakta beloppet {plain}; taket ger {name} "
        "{difference}.",
        "The cap: without the population cap the exact amount would be {plain}; the cap "
        "gives {name} {difference}.",
    ),
    "x_more": ("{amount} mer", "{amount} more"),
    "x_less": ("{amount} mindre", "{amount} less"),
    "x_same": ("samma belopp", "the same amount"),
    "w_title": (
        "Om {changes}: {network} {year}",
        "If {changes}: {network} {year}",
    ),
    "w_joins": ("{names} går med", "{names} joined"),
    "w_leaves": ("{names} går ur", "{names} left"),
    "w_and": (" och ", " and "),
    "w_caption": (
        "Hela perioden {start} – {end}; befolkning per {date}; ingen fil har skrivits.",
        "The whole period {start} – {end}; population on {date}; no file was written.",
    ),
    "w_today": ("Avgift idag", "Fee today"),
    "w_changed": ("Avgift om ändrat", "Fee if changed"),
    "w_difference": ("Skillnad", "Difference"),
    "col_truncated": ("Avkortat belopp", "Amount cut to unit"),
    "col_remainder": ("Rest", "Remainder"),
    "col_rank": ("Restens rang", "Remainder rank"),
    "col_extra": ("Tilldelad enhet", "Unit given"),
    "col_tie": ("Lika rest", "Tie"),
    "tie_yes": ("ja, avgjord av regeln", "yes, decided by the rule"),
    "left_over": (
        "Enheter över efter avkortning (går till de största resterna)",
        "Units left over after cutting (given to the largest remainders)",
    ),
    "tie_rule": (
        "Vid lika rest: störst folkmängd, sedan lägst kommunkod",
        "Ties: larger population, then lower code",
    ),
    "sum_rounded": ("Summa avrundade belopp", "Sum of the rounded amounts"),
    "check_ok": ("stämmer", "correct"),
    "check_failed": ("STÄMMER INTE", "DOES NOT MATCH"),
    # Keys on statistics and rounding each member on its own (reference 7)
    "col_statistic": ("{name} ({date})", "{name} ({date})"),
    "m_statistic": (
        "Statistik {name}: värden per {date} (fil {file}).",
        "Statistic {name}: values on {date} (file {file}).",
    ),
    "m_key_weighted": (
        "Fördelningsnyckel: {words}. Andel = {formula}.",
        "Key: {words}. Share = {formula}.",
    ),
    "m_part_equal": ("{weight} % lika delar", "{weight} % in equal parts"),
    "m_part_population": ("{weight} % efter befolkning", "{weight} % by population"),
    "m_part_statistic": ("{weight} % efter {name}", "{weight} % by {name}"),
    "m_rounding_each": (
        "Avrundning: varje kommuns exakta belopp avrundas för sig till {unit} kr (halva "
        "uppåt). De avrundade beloppen summerar till {sum} kr, {difference} kr från totalen "
        "{total} kr.",
        "Rounding: each member's exact amount is rounded to {unit} kr on its own (half up). "
        "The rounded amounts sum to {sum} kr, {difference} kr from the total of {total} kr.",
    ),
    "rounding_difference": ("Avrundningsdifferens mot totalen", "Rounding difference"),
    "budget_total_row": ("Att fördela enligt budgeten", "To share by the budget"),
    "rounding_each_note": (
        "Varje belopp avrundat för sig: summan {sum} avviker {difference} från totalen "
        "{total}.",
        "Each amount rounded on its own: the sum {sum} differs by {difference} from the "
        "total of {total}.",
    ),
    "check_each": (
        "Varje belopp avrundat för sig (rounding_method: each)",
        "Each amount rounded on its own (rounding_method: each)",
    ),
    "x_statistic": (
        "{name}: {gen} värde är {value} per {date} (fil {file}).",
        "{name}: {gen} value is {value} on {date} (file {file}).",
    ),
    "x_key_weighted": (
        "Nyckel: {words}. {parts} Andel: {share}.",
        "Key: {words}. {parts} Share: {share}.",
    ),
    "x_part_equal": (
        "Lika del: {equal} % / {n} medlemmar = {equal_part}.",
        "Equal part: {equal} % / {n} members = {equal_part}.",
    ),
    "x_part_population": (
        "Befolkningsdel: {weight} % × {value} / {sigma} = {part}.",
        "Population part: {weight} % × {value} / {sigma} = {part}.",
    ),
    "x_part_statistic": (
        "Del efter {name}: {weight} % × {value} / {sigma} = {part}.",
        "Part by {name}: {weight} % × {value} / {sigma} = {part}.",
    ),
    "x_keyname_weighted": (
        "Nyckel: {words}; summorna räknas över delperiodens medlemmar.",
        "Key: {words}; the sums are taken over the segment's members.",
    ),
    "x_segment_weighted": ("{parts} = {share} → {amount}", "{parts} = {share} → {amount}"),
    "x_segment_equal_part": ("lika del {part}", "equal part {part}"),
    "x_population_word": ("befolkning", "population"),
    "x_segment_part": ("{name} {part} (Σ {sigma})", "{name} {part} (Σ {sigma})"),
    "x_rounding_each": (
        "Avrundning till {unit}: varje kommuns exakta belopp avrundas för sig (halva uppåt); "
        "{exact} blir {fee}. Alla avrundade belopp summerar till {sum}, {difference} från "
        "totalen {total}.",
        "Rounding to {unit}: each member's exact amount is rounded on its own (half up); "
        "{exact} becomes {fee}. The rounded amounts sum to {sum}, {difference} from the "
        "total of {total}.",
    ),
    "m_formula": ("Formel: {formula}", "Formula: {formula}"),
    # Terminal
    "network": ("Samverkan", "Cooperation"),
    "written": ("Sparad: {path}", "Written: {path}"),
    "written_peppol": (
        "{count} Peppol-{n_document} (BIS Billing 3.0) sparade i {path}",
        "{count} Peppol {n_document} (BIS Billing 3.0) written to {path}",
    ),
    "inv_drafts_note": (
        "Utkast: inga fakturor, inget har registrerats.",
        "Drafts: not invoices; nothing was registered.",
    ),
    "inv_registered": (
        "{count} {n_document} utfärdade och registrerade i {path}",
        "{count} {n_document} issued and registered in {path}",
    ),
    "inv_nothing_new": (
        "Inget nytt att utfärda: dokumenten är de registrerade.",
        "Nothing new to issue: the documents are those registered.",
    ),
    "written_files": ("{count} {n_file} sparade i {path}", "{count} {n_file} written to {path}"),
    "validate_ok": (
        "{path}: {count} {n_file} kontrollerade, inga problem",
        "{path}: {count} {n_file} checked, no problems",
    ),
    "validate_notes": (
        "{path}: {count} {n_file} kontrollerade, inga fel; {notes} {n_note} att göra",
        "{path}: {count} {n_file} checked, no errors; {notes} {n_note} to do",
    ),
    # kn init: the budget form and what to run next
    "form_title": ("Budget för {name} {year}", "Budget of {name} {year}"),
    "form_help": (
        "Fyll i beloppen i de gula cellerna (kronor för helt år). Varje rad har ett av: "
        "amount; amount och overhead_percent; rate och per_month; rate och quantity. kn läser "
        "kolumnerna kind till quantity och räknar alla summor själv; note läses inte.",
        "Fill in the amounts in the yellow cells (kronor for a whole year). Each line has one "
        "of: amount; amount and overhead_percent; rate and per_month; rate and quantity. kn "
        "reads the columns kind to quantity and computes every total itself; note is not read.",
    ),
    "form_note": ("fyll i", "fill in"),
    "new_help": (
        "Skriven av kn budget new från {source}: varje rads belopp (amount) eller pris (rate) "
        "har räknats upp {how} och avrundats till öre. Finansiering kopieras inte. Granska "
        "varje rad innan budgeten beslutas. Indexet för planåren står på bladet Plan.",
        "Written by kn budget new from {source}: every line's amount or rate has been indexed "
        "{how} and rounded to the öre. Funding is not copied. Check every line before the "
        "budget is decided. The index of the plan years is on the sheet Plan.",
    ),
    "new_how_given": ("med {percent} % (--index)", "by {percent} % (--index)"),
    "new_how_plan": ("med {year} års planindex, {parts}", "by the {year} budget's plan index, "
                     "{parts}"),
    "new_how_and": (" och ", " and "),
    "new_written": (
        "Skrev {path} från {source}: varje rads belopp eller pris uppräknat {how}, avrundat "
        "till öre; finansiering kopierades inte.",
        "Wrote {path} from {source}: every line's amount or rate indexed {how}, rounded to "
        "the öre; funding was not copied.",
    ),
    "plan_sheet_help": (
        "Index för planåren (procent per år) per radgrupp; default gäller övriga grupper. "
        "Tomt år: samma index varje år. population: latest, trend eller forecast.",
        "Index of the plan years (percent a year) per line group; default is for the other "
        "groups. An empty year: the same index every year. population: latest, trend or "
        "forecast.",
    ),
    "init_written": ("Skapade {path}", "Created {path}"),
    "init_next": ("Nästa steg:", "Next:"),
    "init_rate": (
        "  1. fyll i avgifterna under fee: i {path}",
        "  1. fill in the fees under fee: in {path}",
    ),
    "init_budget": (
        "  1. fyll i budgeten i {path}",
        "  1. fill in the budget in {path}",
    ),
    "init_population": (
        "  2. hämta befolkningen {day} (för avgiftsåret {year}):\n"
        "       kn population fetch {snap_year} --data {root}\n"
        "     eller, med en fil från SCB:s Statistikdatabas:\n"
        "       kn population import FIL --data {root}",
        "  2. get the population of {day} (for fee year {year}):\n"
        "       kn population fetch {snap_year} --data {root}\n"
        "     or, with a file from SCB's Statistikdatabasen:\n"
        "       kn population import FILE --data {root}",
    ),
    "init_check": (
        "  3. kontrollera och fördela:\n"
        "       kn validate --data {root}\n"
        "       kn allocate {year} --data {root}",
        "  3. check and allocate:\n"
        "       kn validate --data {root}\n"
        "       kn allocate {year} --data {root}",
    ),
    "ask_name": ("Samverkans namn", "Name of the cooperation"),
    "ask_members": (
        "Medlemmar (kommuner, med kommatecken emellan)",
        "Members (municipalities, separated by commas)",
    ),
    "ask_member_again": (
        "Rätta '{given}' (tomt: hoppa över)", "Correct '{given}' (empty: leave it out)"
    ),
    "ask_administrator": ("Förvaltande kommun", "Administrator (förvaltande kommun)"),
    "pop_title": (
        "{name}: befolkningsuppgifter i {path}", "{name}: population snapshots in {path}"
    ),
    "col_municipalities": ("Kommuner", "Municipalities"),
    "si_report": (
        "{what} {path}: {count} kommuner, summa {total}, referensdatum {day} (från {source}"
        "{extra})",
        "{what} {path}: {count} municipalities, sum {total}, reference date {day} (from "
        "{source}{extra})",
    ),
    "si_ages": ("; åldrarna {ages} summerade", "; ages {ages} summed"),
    "stat_title": ("{name}: statistik i {path}", "{name}: statistics in {path}"),
    "col_statistic_name": ("Statistik", "Statistic"),
    "col_value_sum": ("Summa", "Sum"),
    "col_in_key": ("I nyckeln", "In the key"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "stat_none": (
        "ingen statistik i {path}; importera med 'kn statistic import NAMN FIL --date "
        "ÅÅÅÅ-MM-DD'",
        "no statistics in {path}; import one with 'kn statistic import NAME FILE --date "
        "YYYY-MM-DD'",
    ),
    "stat_missing": (
        "Nyckeln räknar {name}, men det finns ingen statistics/{name}; importera med "
        "'kn statistic import {name} FIL --date ÅÅÅÅ-MM-DD'",
        "The key counts {name}, but there is no statistics/{name}; import it with "
        "'kn statistic import {name} FILE --date YYYY-MM-DD'",
    ),
    "col_total_population": ("Total folkmängd", "Total population"),
    "col_members_present": ("Medlemmar med", "Members present"),
    "pop_missing": (
        "Avgiftsår {year} saknar befolkningen {day} ({path}): kn population fetch {snap_year} "
        "eller kn population import FIL",
        "Fee year {year} has no population of {day} ({path}): kn population fetch {snap_year} "
        "or kn population import FILE",
    ),
    "pop_invalid": ("ogiltig: {message}", "invalid: {message}"),
    "pop_none": (
        "inga befolkningsuppgifter i {path}; hämta med 'kn population import FIL' eller "
        "'kn population fetch ÅR'",
        "no snapshots in {path}; import one with 'kn population import FILE' or "
        "'kn population fetch YEAR'",
    ),
    # Invoices (fakturaunderlag)
    "sheet_summary": ("Sammanställning", "Summary"),
    "title_invoices": ("Fakturaunderlag {name} {year}", "Invoice bases {name} {year}"),
    "title_settlement_invoices": (
        "Fakturaunderlag avräkning {name} {year}", "Invoice bases, settlement {name} {year}"
    ),
    "inv_settle_text": ("Avräkning {name} {year}", "Settlement {name} {year}"),
    "inv_nothing": (
        "Inget att fakturera eller betala tillbaka för {year}.",
        "Nothing to invoice or pay back for {year}.",
    ),
    "sheet_own_share": ("{name} (egen andel)", "{name} (own share)"),
    "title_invoice": ("Fakturaunderlag", "Invoice basis"),
    "title_credit": ("Underlag för kreditfaktura", "Credit note basis"),
    "title_own_share": (
        "Förvaltande kommuns egen andel – ingen faktura",
        "The administrator's own share – not an invoice",
    ),
    "own_share_note": (
        "Detta är ingen faktura: förvaltande kommun faktureras inte, beloppet är kommunens "
        "egen andel av kostnaden och bokförs internt.",
        "This is not an invoice: the administering municipality is not invoiced; the amount "
        "is its own share of the cost, booked internally.",
    ),
    "credit_note": (
        "Kreditfaktura: krediterar faktura {invoice}. Beloppet betalas tillbaka till "
        "mottagaren eller kvittas mot nästa faktura; inget ska betalas.",
        "Credit note: credits invoice {invoice}. The amount is paid back to the recipient or "
        "set off against the next invoice; nothing is to be paid.",
    ),
    "inv_subject": ("Avser: {name} {year}", "Concerning: {name} {year}"),
    "inv_sender": ("Avsändare (förvaltande kommun)", "Sender (administering municipality)"),
    "inv_municipality": ("Kommun", "Municipality"),
    "inv_sender_address": ("Avsändarens adress", "Sender's address"),
    "inv_our_reference": ("Vår referens", "Our reference"),
    "inv_bankgiro": ("Bankgiro", "Bankgiro"),
    "inv_plusgiro": ("Plusgiro", "Plusgiro"),
    "inv_recipient": ("Mottagare", "Recipient"),
    "inv_address": ("Fakturaadress", "Invoice address"),
    "inv_your_reference": ("Er referens", "Your reference"),
    "inv_orgnr": ("Organisationsnummer", "Organisation number"),
    "inv_orgnr_short": ("Org.nr", "Org. no."),
    "inv_number": ("Fakturanummer", "Invoice number"),
    "inv_ocr": ("OCR-nummer", "OCR reference"),
    "inv_corrects": ("Krediterar faktura", "Credits invoice"),
    "inv_changes": ("Ändrar faktura", "Changes invoice"),
    "inv_invoice_of": ("{number} av {date}", "{number} of {date}"),
    "inv_missing": ("saknas", "missing"),
    "inv_draft": ("UTKAST – inte en faktura", "DRAFT – not an invoice"),
    "inv_draft_note": (
        "UTKAST – inte en faktura: inget fakturanummer, OCR-nummer eller förfallodatum, och "
        "inget har registrerats. Fakturor utfärdas när beslutet är registrerat.",
        "DRAFT – not an invoice: no invoice number, OCR reference or due date, and nothing "
        "has been registered. Invoices are issued once the decision is recorded.",
    ),
    "credit_note_refund": (
        "Kreditfaktura: beloppet betalas tillbaka till mottagaren eller kvittas mot nästa "
        "faktura; inget ska betalas.",
        "Credit note: the amount is paid back to the recipient or set off against the next "
        "invoice; nothing is to be paid.",
    ),
    "peppol_credits": ("Krediterar faktura {number} ({date}).",
                       "Credits invoice {number} ({date})."),
    "peppol_corrects": ("Ändrar faktura {number} ({date}).",
                        "Changes invoice {number} ({date})."),
    "inv_reversal_line": (
        "Kreditering av faktura {number} ({date}), som ersätts enligt {record}",
        "Credit of invoice {number} ({date}), replaced by {record}",
    ),
    "inv_difference_line": (
        "Ändring av faktura {number} ({date}) enligt {record}",
        "Change to invoice {number} ({date}) by {record}",
    ),
    "inv_exact": (
        "Exakt andel enligt fördelningsnyckeln (kr)", "Exact share by the key (kr)"
    ),
    "inv_exact_population": (
        "Exakt andel: att fördela × kommunens befolkning / medlemmarnas befolkning (kr)",
        "Exact share: to be shared × the municipality's population / the members' (kr)",
    ),
    "inv_rounding": (
        "Avrundning (så att avgifterna summerar exakt till totalen)",
        "Rounding (so that the fees sum exactly to the total)",
    ),
    "inv_reference": ("Referens", "Reference"),
    "inv_date": ("Fakturadatum", "Invoice date"),
    "inv_due": ("Förfallodatum", "Due date"),
    "inv_terms": ("{days} dagar netto", "{days} days net"),
    "inv_terms_moved": ("{days} dagar netto, flyttat till närmaste bankdag",
                        "{days} days net, moved to the next bank day"),
    "inv_period": ("Period", "Period"),
    "inv_period_value": ("{start} – {end}", "{start} – {end}"),
    "col_description": ("Beskrivning", "Description"),
    "col_amount_kr": ("Belopp (kr)", "Amount (kr)"),
    "col_kind": ("Typ", "Kind"),
    "col_amount_plain": ("Belopp", "Amount"),
    "inv_to_pay": ("Att betala", "To pay"),
    "inv_to_credit": ("Att återfå", "To be credited"),
    "inv_own_total": ("Egen andel", "Own share"),
    "inv_computation": ("Så har beloppet räknats", "How the amount was computed"),
    "inv_base": ("Att fördela mellan medlemmarna", "To be shared among the members"),
    "inv_population": ("Kommunens befolkning ({date})", "The municipality's population ({date})"),
    "inv_population_total": (
        "Medlemmarnas befolkning ({date})", "The members' population ({date})"
    ),
    "inv_share": ("Kommunens andel (avrundad)", "The municipality's share (rounded)"),
    "inv_days": ("Dagar som medlem under perioden", "Days as a member in the period"),
    "inv_fee_text": ("Avgift {name} {year}", "Fee {name} {year}"),
    "inv_carried_text": ("Avräkning {year}", "Settlement {year}"),
    "kind_invoice": ("Faktura", "Invoice"),
    "kind_credit": ("Kreditfaktura", "Credit note"),
    "kind_draft": ("Utkast till faktura", "Draft invoice"),
    "kind_draft_credit": ("Utkast till kreditfaktura", "Draft credit note"),
    "kind_own_share": ("Egen andel (ingen faktura)", "Own share (not an invoice)"),
    "inv_invoiced_total": ("Att fakturera", "To invoice"),
    "inv_vat": (
        "Momsfritt: kostnadsfördelning inom kommunal samverkan, ingen moms tillkommer.",
        "VAT-exempt: cost sharing within a cooperation of municipalities; no VAT is added.",
    ),
    # What a document rests on (render/standing.py)
    "st_proposal": ("Förslag – ej beslutat", "Proposal – not decided"),
    "st_proposal_short": ("Förslag", "Proposal"),
    "st_decided": ("Beslutad {date}", "Decided on {date}"),
    "st_revised": ("Reviderad (revision {number}) {date}", "Revised (revision {number}) on {date}"),
    "st_by": (" av {who}", " by {who}"),
    "st_settlement_decided": ("Avräkningen beslutad {date}", "Settlement decided on {date}"),
    "st_revision_short": ("Revision {number}, {date}", "Revision {number}, {date}"),
    "st_label": ("Beslut", "Decision"),
    "st_revision_number": ("Revision {number}", "Revision {number}"),
    # Decisions and revisions (decisions.py)
    "sheet_revision": ("Revidering {year} nr {number}", "Revision {year} no {number}"),
    "title_revision": (
        "Revidering {number} av fördelningen för {name} {year}",
        "Revision {number} of the allocation of {name} {year}",
    ),
    "revises": ("Reviderar {what}, beslut {date}{who}", "Revises {what}, decision of {date}{who}"),
    "col_decided": ("Beslutat", "Decided"),
    "col_new": ("Ny", "New"),
    "col_difference": ("Differens", "Difference"),
    "changed_inputs": ("Ändrade indatafiler", "Input files changed"),
    "no_changed_inputs": ("Inga indatafiler har ändrats", "No input file has changed"),
    "col_decided_sha": ("Kontrollsumma vid beslutet", "Checksum at the decision"),
    "col_new_sha": ("Kontrollsumma nu", "Checksum now"),
    "rev_this": ("Denna revidering: beslutad {date}{who}", "This revision: decided on {date}{who}"),
    "rev_changes": ("Ändrade indata", "Inputs changed"),
    "rev_no_changes": ("Inga budgetposter, befolkningstal eller statistikvärden har ändrats",
                       "No budget line, population or statistic has changed"),
    "rev_no_basis": (
        "Beslutet sparades av en tidigare version av kn, som inte sparade budgetposter och "
        "befolkningstal; bara filernas kontrollsummor kan jämföras.",
        "The decision was recorded by an earlier version of kn, which did not keep budget "
        "lines and populations; only the files' checksums can be compared.",
    ),
    "col_input_kind": ("Indata", "Input"),
    "col_input_what": ("Post eller kommun", "Line or municipality"),
    "rev_kind_line": ("Budgetpost (för perioden)", "Budget line (for the period)"),
    "rev_kind_funding": ("Finansiering", "Funding"),
    "rev_kind_population": ("Befolkning", "Population"),
    "rev_kind_statistic": ("{name}", "{name}"),
    "rev_sha_decided": ("vid beslutet: {sha}", "at the decision: {sha}"),
    "rev_sha_now": ("nu: {sha}", "now: {sha}"),
    # Comparing years (core/compare.py, cli/compare.py)
    "sheet_compare": ("Jämförelse {a}–{b}", "Comparison {a}–{b}"),
    "title_compare": (
        "Jämförelse av avgifter för {name} {a} och {b}",
        "Fees of {name} in {a} and {b} compared",
    ),
    "col_population_year": ("Befolkning {year}", "Population {year}"),
    "col_population_change": ("Förändring befolkning", "Population change"),
    "col_fee_year": ("Avgift {year}", "Fee {year}"),
    "col_fee_year_kr": ("Avgift {year} kr", "Fee {year} kr"),
    "col_change_kr": ("Förändring kr", "Change kr"),
    "col_change_pct": ("Förändring %", "Change %"),
    "col_note": ("Anmärkning", "Note"),
    "only_in": ("endast medlem {year}", "member in {year} only"),
    "t_population_year": ("Bef. {year}", "Pop. {year}"),
    "t_change_kr": ("Ändring kr", "Change kr"),
    "t_change_pct": ("Ändring %", "Change %"),
    "col_from_total": ("Varav total kr", "Of which total kr"),
    "col_from_share": ("Varav andel kr", "Of which share kr"),
    "col_per_inhabitant": ("Kr per invånare och år {year}", "Kr per inhabitant and year {year}"),
    "compare_notes": ("Att veta om åren", "About the years"),
    "cn_population": (
        "Befolkning {year}: SCB:s folkmängd per {date}.",
        "Population {year}: SCB's registered population on {date}.",
    ),
    "cn_partial": (
        "{year} omfattar {days} av årets {year_days} dagar ({start} – {end}); avgiften avser "
        "bara den tiden.",
        "{year} covers {days} of the year's {year_days} days ({start} – {end}); the fee is for "
        "that time only.",
    ),
    "cn_funding": (
        "{year} sänktes med {amount} från {names}, som medlemmarna inte betalar.",
        "{year} was lowered by {amount} from {names}, which the members do not pay.",
    ),
    "cn_carried": (
        "{year}: utöver avgiften räknas {amount} av avräkningen för {previous} in i det "
        "medlemmarna betalar; jämförelsen avser avgiften utan den.",
        "{year}: besides the fee, {amount} of the settlement of {previous} is included in what "
        "the members pay; the comparison is of the fee without it.",
    ),
    "cn_partial_members": (
        "{year}: {names} var medlem bara en del av perioden.",
        "{year}: {names} was a member for part of the period only.",
    ),
    "cn_only": ("{names}: medlem endast {year}.", "{names}: a member in {year} only."),
    "cn_split": (
        "Förändringen delas i två: varav total = (total {b} − total {a}) × kommunens "
        "andel {a}; varav andel = resten, det som kommunens ändrade andel ger.",
        "The change is split in two: of which total = (total {b} − total {a}) × the "
        "municipality's share in {a}; of which share = the rest, what its changed share gives.",
    ),
    "cn_per_inhabitant": (
        "Kr per invånare och år = avgift / befolkning, för en del av året omräknat till helt år.",
        "Kr per inhabitant and year = fee / population, scaled to a whole year for part of a "
        "year.",
    ),
    "cmp_headline": (
        "Förändring av totalen att betala: {pct}{why}; jämförbart per invånare och helår: "
        "{like} ({a}: {like_a}, {b}: {like_b}).",
        "Change of the total to pay: {pct}{why}; like for like per inhabitant and full year: "
        "{like} ({a}: {like_a}, {b}: {like_b}).",
    ),
    "cmp_why": (" ({reasons})", " ({reasons})"),
    "cmp_why_partial": ("{year} är ett delår: {days} dagar", "{year} is a part year: {days} days"),
    "cmp_why_funding": ("{year} hade {amount} i finansiering", "{year} had {amount} of funding"),
    "cmp_why_members": ("medlemmarna är inte desamma hela tiden",
                        "the members are not the same throughout"),
    "cmp_why_partial_funded": (
        "{year} är ett delår: {days} dagar, och hade {amount} i finansiering",
        "{year} is a part year: {days} days, and had {amount} of funding",
    ),
    "cn_like_for_like": (
        "Jämförbart per invånare och helår = årets kostnader före finansiering (avgifternas "
        "total + finansieringen), omräknade från periodens dagar till helt år, / medlemmarnas "
        "befolkning (en medlem del av perioden räknas för sin del av den).",
        "Like for like per inhabitant and full year = the year's costs before funding (the "
        "fees' total + the funding), scaled from the period's days to a whole year, / the "
        "members' population (a member for part of the period counted for its part of it).",
    ),
    "compare_basis": (
        "Avgift = årets fördelning (utan avräkning från året före). Befolkning enligt "
        "SCB per {date_a} ({a}) och {date_b} ({b}).",
        "Fee = the year's allocation (without settlement carried from the year before). "
        "Population from SCB on {date_a} ({a}) and {date_b} ({b}).",
    ),
    # kn plan: the budget year and its plan years (reference section 6)
    "sheet_plan": ("Plan {first}–{last}", "Plan {first}–{last}"),
    "title_plan": (
        "Avgifter till {name}: budget {year}, plan {first}–{last}",
        "Fees to {name}: budget {year}, plan {first}–{last}",
    ),
    "plan_note": (
        "Planåren {first}–{last} är preliminära (Plan): de bygger på index och befolkning enligt "
        "fliken Metod och är inte beslutade.",
        "The plan years {first}–{last} are preliminary (Plan): they rest on the index and "
        "population shown on the Method sheet and are not decided.",
    ),
    "plan_status_decided": ("Budget {year}: beslutad, {record}.",
                            "Budget {year}: decided, {record}."),
    "plan_status_proposal": ("Budget {year}: Förslag, ännu inte beslutad.",
                             "Budget {year}: proposal, not yet decided."),
    "col_budget_year": ("Budget {year}", "Budget {year}"),
    "col_plan_year": ("Plan {year} (preliminär)", "Plan {year} (preliminary)"),
    "col_plan_change": ("Förändring {first}–{last} kr", "Change {first}–{last} kr"),
    "col_plan_change_pct": ("Förändring {first}–{last} %", "Change {first}–{last} %"),
    "plan_not_member": ("ej medlem", "not a member"),
    "sheet_plan_population": ("Befolkning", "Population"),
    "title_plan_population": ("Befolkning som avgifterna bygger på",
                              "Population the fees rest on"),
    "plan_population_basis": ("Underlag", "Basis"),
    "sheet_plan_budget": ("Budget", "Budget"),
    "title_plan_budget": ("Budget {year} och plan {first}–{last} för {name}",
                          "Budget {year} and plan {first}–{last} of {name}"),
    "plan_block_budget": ("Budget {year}: {file}", "Budget {year}: {file}"),
    "plan_block_rate": ("{year}: avgifterna enligt taxan i {file}",
                        "{year}: the fees by the rate in {file}"),
    "plan_block_own": (
        "Plan {year} (preliminär): egen budget {file}, som den är skriven",
        "Plan {year} (preliminary): its own budget {file}, as written",
    ),
    "plan_block_indexed": (
        "Plan {year} (preliminär): raderna i {file} uppräknade med index, helår, utan "
        "finansiering",
        "Plan {year} (preliminary): the lines of {file} indexed, whole year, no funding",
    ),
    "col_base_yearly": ("Belopp helår {year}", "Yearly amount {year}"),
    "col_index": ("Index", "Index"),
    "col_year_amount": ("Belopp {year}", "Amount {year}"),
    "plan_basis_snapshot": ("SCB {date}", "SCB {date}"),
    "plan_stat_snapshot": ("{date}", "{date}"),
    "plan_stat_latest": ("senaste {date}", "latest {date}"),
    "plan_basis_latest": ("senaste SCB {date}", "latest SCB {date}"),
    "plan_basis_trend": ("trend SCB {earlier} – {latest}", "trend SCB {earlier} – {latest}"),
    "plan_basis_forecast": ("prognos {year}", "forecast {year}"),
    "m_plan_intro": (
        "Budgetåret {year} har avgifterna från kn allocate {year}{decided}. Varje planår är en "
        "egen fördelning: budget och befolkning enligt nedan, medlemmarnas inträdes- och "
        "utträdesdatum gäller som alla år, totalen avrundas (halva uppåt) till {unit} kr och "
        "avgifterna fördelas med största rest.",
        "The budget year {year} has the fees of kn allocate {year}{decided}. Every plan year is "
        "an allocation of its own: budget and population as below, the members' joined and "
        "leaving dates apply as in any year, the total is rounded half up to {unit} kr and the "
        "fees are shared by largest remainder.",
    ),
    "m_plan_decided": (" (beslutade: {record})", " (decided: {record})"),
    "m_plan_budget": ("{year}: budget {file}.", "{year}: budget {file}."),
    "m_plan_rate": ("{year}: avgifterna enligt taxan i {file}.",
                    "{year}: the fees by the rate in {file}."),
    "m_plan_own": (
        "{year} (plan): egen budget {file}, använd som den är skriven (utan index).",
        "{year} (plan): its own budget {file}, used as written (no index).",
    ),
    "m_plan_indexed": (
        "{year} (plan): raderna i {file}, varje rads helårsbelopp × (1 + index/100) för varje år "
        "till {year}, helår {year}, utan finansiering; index: {index}.",
        "{year} (plan): the lines of {file}, each line's yearly amount × (1 + index/100) for "
        "every year up to {year}, whole year {year}, no funding; index: {index}.",
    ),
    "m_plan_index_group": ("{group} {figures}", "{group} {figures}"),
    "m_plan_index_default": ("övriga grupper {figures}", "other groups {figures}"),
    "m_plan_pop_snapshot": (
        "{year}: befolkning SCB per {date} (fil {files}), den nätverkets regel anger.",
        "{year}: population SCB on {date} (file {files}), the one the network's rule names.",
    ),
    "m_plan_pop_latest": (
        "{year}: SCB per {target} finns inte; senaste befolkning, SCB per {date} (fil {files}).",
        "{year}: SCB on {target} does not exist; the latest population, SCB on {date} "
        "(file {files}).",
    ),
    "m_plan_pop_trend": (
        "{year}: SCB per {target} finns inte; trend: befolkningen {latest} + ({target_year} − "
        "{latest_year}) × (befolkningen {latest} − befolkningen {earlier}) / 3, avrundad till "
        "hela personer (filer {files}).",
        "{year}: SCB on {target} does not exist; trend: the population on {latest} + "
        "({target_year} − {latest_year}) × (population {latest} − population {earlier}) / 3, "
        "rounded to whole persons (files {files}).",
    ),
    "m_plan_pop_forecast": (
        "{year}: SCB per {target} finns inte; kommunernas egen prognos för {target_year} "
        "(fil {files}).",
        "{year}: SCB on {target} does not exist; the municipalities' own forecast for "
        "{target_year} (file {files}).",
    ),
    "plan_caption": ("Befolkning {year}: {basis}", "Population {year}: {basis}"),
    "plan_explain_title": (
        "{name}: avgift budget {year} och plan {first}–{last}",
        "{name}: fee budget {year} and plan {first}–{last}",
    ),
    "plan_explain_total": ("  total att fördela: {total}", "  total to share: {total}"),
    "plan_explain_indexed": (
        "  budget: {base} ({file}) uppräknad till {gross} ({index})",
        "  budget: {base} ({file}) indexed to {gross} ({index})",
    ),
    "plan_explain_own": ("  budget: egen fil {file}, {gross}",
                         "  budget: its own file {file}, {gross}"),
    "plan_explain_funding": ("  finansiering: {amount}", "  funding: {amount}"),
    "plan_explain_base": ("  budget: {file}, {gross}", "  budget: {file}, {gross}"),
    "plan_explain_rate": ("  avgifter enligt taxan i {file}", "  fees by the rate in {file}"),
    "plan_explain_population": (
        "  befolkning: {population} av {weights} ({basis})",
        "  population: {population} of {weights} ({basis})",
    ),
    "plan_explain_days": ("  dagar som medlem: {days} av {period}",
                          "  days as a member: {days} of {period}"),
    "plan_explain_share": (
        "  andel: {share} % → exakt {exact} → avgift {fee}",
        "  share: {share} % → exact {exact} → fee {fee}",
    ),
    "plan_explain_absent": ("  inte medlem detta år", "  not a member this year"),
}


#: Nouns counted in labels, (singular, plural) in Swedish and English: a label with a
#: ``count`` value may say ``{count} {n_file}`` ("1 fil", "2 filer"; ``notes`` counts n_note).
NOUNS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "file": (("fil", "filer"), ("file", "files")),
    "row": (("rad", "rader"), ("row", "rows")),
    "municipality": (("kommun", "kommuner"), ("municipality", "municipalities")),
    "note": (("sak", "saker"), ("thing", "things")),
    "problem": (("problem", "problem"), ("problem", "problems")),
    "document": (("dokument", "dokument"), ("document", "documents")),
}


def plural(noun: str, count: int, lang: str) -> str:
    """``noun`` in ``lang``, singular for a count of 1, else plural."""
    sv, en = NOUNS[noun]
    singular, many = sv if lang == "sv" else en
    return singular if count == 1 else many


STATISTIC_NAMES: dict[str, tuple[str, str]] = {
    "befolkning": ("Befolkning", "Population"),
    "skatteunderlag": ("Skatteunderlag", "Tax base"),
    "invanare": ("Invånare", "Inhabitants"),
    "elever": ("Elever", "Pupils"),
    "yta": ("Yta", "Area"),
}


def statistic_label(name: str, lang: str) -> str:
    """A statistic's name as a reader says it: ``befolkning-16-64`` -> "Befolkning 16–64 år"
    ("Population aged 16–64"); a name kn does not know, with its hyphens as spaces."""
    parts = name.split("-")
    if parts[0] == "befolkning" and 2 <= len(parts) <= 3 and all(p.isdigit() for p in parts[1:]):
        if len(parts) == 3:
            return label("stat_age_band", lang, band=f"{parts[1]}–{parts[2]}")
        return label("stat_age_from", lang, age=parts[1])
    known = STATISTIC_NAMES.get(name)
    if known is not None:
        return known[0 if lang == "sv" else 1]
    text = name.replace("-", " ")
    return text[:1].upper() + text[1:]


def label(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled in; ``{n_NOUN}`` is NOUN
    in the number of ``count`` (``notes`` for n_note)."""
    sv, en = LABELS[key]
    text = sv if lang == "sv" else en
    if not values:
        return text
    if "{n_" in text:
        for noun in NOUNS:
            counted = values.get("notes" if noun == "note" else "count")
            if isinstance(counted, int):
                values.setdefault(f"n_{noun}", plural(noun, counted, lang))
    return text.format(**values)
