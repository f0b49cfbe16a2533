"""The kinds of dispute in the demo's standard set: what each case says, the outcomes it can
reach and which kind of funder it is with. `{ts}`, `{funder}` and the other fields are filled
in when a case is planned."""

from __future__ import annotations

from dataclasses import dataclass

from ...models import Area, OrganisationType


@dataclass(frozen=True)
class Scenario:
    """A kind of dispute: what the case says, the outcomes it can reach, and its funder."""

    funder: str  # "council", "nhs", "police", "fire" or "regional"
    areas: tuple[Area, ...]
    amount: tuple[int, int] | None
    title: str
    summary: str
    outcomes: tuple[str, ...]
    body: str | None = None  # the regional funder, for regional disputes


SERVICES = (
    "carers' support",
    "advice and advocacy",
    "young people's mental health",
    "domestic abuse outreach",
    "community transport",
    "older people's befriending",
)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "council",
        (Area.FUNDING,),
        (20_000, 120_000),
        "Less than three months' notice of a cut to {ts}'s core grant",
        "On {notice} {funder} wrote to {ts} to say that its core grant would be reduced by "
        "{pct}% from {effective}, {weeks} weeks later. The local Compact requires at least three "
        "months' written notice, with reasons, before funding is reduced. {ts} asks for the "
        "notice period to be honoured and the reduction phased.",
        (
            "Council agreed to extend notice to three months and phase the reduction over two "
            "years.",
            "Grant reinstated at the full level to the end of the financial year; any reduction "
            "will be discussed at the funding review with three months' written notice.",
            "Council accepted that notice was short and paid the grant for a further three "
            "months while the organisation restructured.",
        ),
    ),
    Scenario(
        "council",
        (Area.CONSULTATION, Area.EQUALITY),
        (60_000, 250_000),
        "{cweeks}-week consultation on closing day centres",
        "{funder} opened a public consultation on {notice} on closing three day centres for "
        "older people, including the one run by {ts}, to close after only {cweeks} weeks. The "
        "Compact expects 12 weeks for a formal written consultation and no reason was given for "
        "the shorter period. No equality impact assessment has been published.",
        (
            "Council extended the consultation to the full 12 weeks and will publish its equality "
            "impact assessment before the cabinet decision.",
            "Consultation re-run for 12 weeks; one day centre will stay open under a community "
            "asset transfer to {ts}.",
        ),
    ),
    Scenario(
        "council",
        (Area.FUNDING,),
        (15_000, 90_000),
        "Invoices to {funder_short} unpaid for over {days} days",
        "{ts} delivers a commissioned service for {funder} and invoices quarterly in arrears. "
        "Invoices for the last two quarters have been outstanding for over {days} days. The "
        "local Compact asks funders to pay within 10 days of receipt; the organisation has used "
        "its reserves to pay staff.",
        (
            "All outstanding invoices paid within five working days; the funder will pay a "
            "quarter in advance from next year.",
            "Arrears paid and a named contact set up in the funder's finance team; late payments "
            "will be reported to the Compact steering group.",
        ),
    ),
    Scenario(
        "nhs",
        (Area.FUNDING,),
        (15_000, 90_000),
        "Invoices to {funder_short} unpaid for over {days} days",
        "{ts} runs a hospital discharge support service for {funder}. Invoices for the last two "
        "quarters have been outstanding for over {days} days despite reminders. The local "
        "Compact asks funders to pay within 10 days of receipt.",
        (
            "ICB paid the arrears and moved the contract to monthly payment in advance.",
            "Outstanding invoices paid; the ICB apologised and changed its purchase order process "
            "for voluntary sector contracts.",
        ),
    ),
    Scenario(
        "council",
        (Area.COMMISSIONING,),
        (80_000, 250_000),
        "{service_title} contract re-tendered without involving the sector",
        "{funder} published a tender for the {service} service currently delivered by {ts} "
        "without any market engagement or discussion with local voluntary organisations. The "
        "specification puts the service into one large lot that no local organisation can bid "
        "for alone.",
        (
            "Tender withdrawn; the funder will hold two market engagement events with the sector "
            "and reissue it in smaller lots.",
            "Funder agreed to extend the current contract by six months and to co-design the new "
            "specification with {ts} and the CVS.",
        ),
    ),
    Scenario(
        "nhs",
        (Area.COMMISSIONING, Area.FUNDING),
        (60_000, 220_000),
        "Social prescribing contract ended with {weeks} weeks' notice",
        "{funder} told {ts} on {notice} that its social prescribing link worker contract would "
        "end on {effective}. Four staff face redundancy and over 400 patients are on the "
        "caseload. No reasons were given and there was no chance to respond before the decision.",
        (
            "ICB extended the contract by three months to give full notice and agreed a handover "
            "plan for patients.",
            "Contract extended to the end of the financial year while the ICB re-procures with a "
            "lot for local voluntary providers.",
        ),
    ),
    Scenario(
        "council",
        (Area.VOLUNTEERING, Area.FUNDING),
        (5_000, 18_000),
        "Volunteer expenses ruled ineligible under {ts}'s grant",
        "After the grant agreement was signed, {funder} told {ts} that volunteer travel and "
        "out-of-pocket expenses are not an eligible cost. The Compact's volunteering code "
        "recognises that involving volunteers is not cost-free; the organisation relies on "
        "about 40 volunteers and asks for expenses to be reinstated.",
        (
            "Funder agreed that reasonable volunteer expenses are an eligible cost and amended "
            "the grant agreement.",
            "Expenses reinstated for this year; the funder's grant guidance will be revised with "
            "the CVS.",
        ),
    ),
    Scenario(
        "council",
        (Area.EQUALITY, Area.BME, Area.FUNDING),
        (25_000, 80_000),
        "Advice grant to {ts} ended without an equality impact assessment",
        "{funder} decided to end its grant for the advice service run by {ts}, used mainly by "
        "South Asian and Eastern European residents, without assessing the impact on those "
        "communities. The organisation was told at a monitoring meeting rather than in writing.",
        (
            "Decision paused; the council carried out an equality impact assessment with {ts} "
            "and agreed transitional funding for six months.",
            "Decision upheld after an equality impact assessment, with six months' notice and "
            "help to find other funding.",
        ),
    ),
    Scenario(
        "council",
        (Area.COMMISSIONING, Area.FUNDING),
        (30_000, 150_000),
        "Contract renewal for {ts} excludes overheads",
        "{funder} has offered to renew {ts}'s contract at the same price for a third year while "
        "asking for more monitoring, and will not include a share of management and premises "
        "costs. The Compact supports full cost recovery.",
        (
            "Funder agreed a 6% uplift to cover a fair share of overheads and reduced monitoring "
            "to quarterly.",
            "Full costs recovered after two lower offers; the new contract price includes "
            "premises and management costs.",
        ),
    ),
    Scenario(
        "police",
        (Area.FUNDING,),
        (15_000, 60_000),
        "Community safety grant to {ts} ended by email without reasons",
        "{ts} was told by email that its community safety grant from {funder} would not "
        "continue from April. No reasons were given in writing and the organisation had no "
        "chance to respond before the decision was final.",
        (
            "The police and crime commissioner's office set out its reasons in writing, met "
            "{ts} and agreed a three-month tapered grant.",
            "Decision reconsidered after the organisation's response; funding continued for a "
            "further year with revised outcomes.",
        ),
    ),
    Scenario(
        "council",
        (Area.FUNDING,),
        (8_000, 40_000),
        "Clawback of underspend from {ts} without discussion",
        "{funder} has asked {ts} to repay grant it says was underspent, although carrying the "
        "underspend forward was agreed at a monitoring meeting. The Compact expects changes to "
        "be discussed early and in writing.",
        (
            "Funder agreed the underspend can be carried forward; no repayment required.",
            "Repayment halved and spread over twelve months.",
        ),
    ),
    Scenario(
        "council",
        (Area.COMMUNITY_GROUPS, Area.FUNDING),
        None,
        "Disproportionate monitoring for small community grants",
        "Community groups receiving grants under £5,000 from {funder} are now asked for "
        "quarterly outcome reports and independently examined accounts. {ts} and other groups "
        "say this is disproportionate and will stop small groups applying.",
        (
            "Council agreed a single light-touch annual return for grants under £10,000.",
            "Monitoring reduced for grants under £5,000; the change was agreed at the Compact "
            "steering group.",
        ),
    ),
    Scenario(
        "council",
        (Area.CONSULTATION, Area.FUNDING),
        (40_000, 200_000),
        "Decision to stop {service} funding taken before consultation closed",
        "{funder}'s cabinet agreed on {notice} to stop funding the {service} service run by "
        "{ts}, a week before its own consultation was due to close. {ts} says responses were "
        "not considered.",
        (
            "Council rescinded the decision and will take it again after considering all "
            "consultation responses.",
            "Council reversed its decision; funding continues while the service is redesigned "
            "with the sector.",
        ),
    ),
    Scenario(
        "council",
        (Area.COMMUNITY_GROUPS, Area.FUNDING),
        (10_000, 35_000),
        "Community centre rent doubled with one month's notice",
        "{funder} told {ts} that the rent on the council-owned community centre it manages "
        "will double from next month, with no discussion. Over twenty community groups use the "
        "centre.",
        (
            "Rent increase deferred for a year and then phased in; the council will consider a "
            "community asset transfer.",
            "Council agreed a peppercorn lease in return for the centre staying open to community "
            "groups.",
        ),
    ),
    Scenario(
        "council",
        (Area.FUNDING,),
        (45_000, 180_000),
        "One-year funding offered for {ts}'s three-year programme",
        "{funder} will only commit funding one year at a time to the three-year {service} "
        "programme it asked {ts} to run, so staff can only be offered one-year contracts. The "
        "Compact encourages longer-term funding where it gives better value.",
        (
            "Funder agreed a three-year grant agreement with an annual review and three months' "
            "notice of any change.",
            "Two-year agreement offered with a break clause; partially resolved.",
        ),
    ),
    Scenario(
        "fire",
        (Area.VOLUNTEERING, Area.COMMISSIONING),
        (8_000, 25_000),
        "Home safety referral partnership ended without consultation",
        "{funder} ended the partnership under which {ts} volunteers referred older residents "
        "for home fire safety visits, including the small grant covering volunteer travel, "
        "without consulting the organisation.",
        (
            "Fire service agreed to continue the referral partnership and the grant for a "
            "further year.",
            "Partnership ended by agreement with three months' notice and a jointly written "
            "evaluation.",
        ),
    ),
)

# Disputes with funders working across the region, which go straight to regional mediation.
REGIONAL_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "regional",
        (Area.FUNDING,),
        (40_000, 250_000),
        "Combined authority skills payments withheld from {ts}",
        "{funder} has withheld two quarterly payments to {ts} under its adult skills programme "
        "while it reviews eligibility evidence. The programme runs across several Compact areas "
        "and the organisation has had to give staff notice of redundancy.",
        (
            "Combined authority released the withheld payments and agreed a simpler evidence "
            "check for the final year.",
            "Payments partly released; the remaining claims will be checked jointly within 20 "
            "working days.",
        ),
        body="West Midlands Combined Authority",
    ),
    Scenario(
        "regional",
        (Area.FUNDING,),
        (20_000, 90_000),
        "Regional arts grant ended halfway through a three-year programme",
        "{funder} told {ts} on {notice} that its grant would not continue beyond {effective}, "
        "halfway through a three-year community arts programme, giving {weeks} weeks' notice.",
        (
            "Grant continued for a further six months and the funder will give three months' "
            "written notice of any future change.",
            "Decision upheld; funder agreed to fund an exit plan and help the organisation apply "
            "to its open programme.",
        ),
        body="Arts Council England, Midlands",
    ),
)

# The organisation type of each kind of funder a scenario names, other than councils.
FUNDER_TYPES: dict[str, OrganisationType] = {
    "nhs": OrganisationType.NHS,
    "police": OrganisationType.POLICE,
    "fire": OrganisationType.FIRE_RESCUE,
}
