"""What officers and mediators write on the demo timelines: reasons for escalating and
withdrawing, notes, outcomes that were not agreed, and the learning shared with other
Compacts. `{ts}`, `{funder}`, `{day}` and the other fields are filled in per case."""

from __future__ import annotations

from workflows.outcomes import OutcomeType

ESCALATE_FROM_LOCAL = (
    "Local conciliation did not reach agreement within 20 working days; both parties agreed "
    "to regional mediation.",
    "{funder} declined to revisit the decision at local level; referred for regional mediation.",
    "The parties could not agree a way forward at the steering group meeting; the officer "
    "referred the case to the regional mediator.",
)
ESCALATE_HOST = (
    "{funder} hosts the local Compact and is a party to the dispute, so it cannot be "
    "conciliated locally."
)
ESCALATE_REGIONAL = (
    "{funder} funds across the region, so the dispute cannot be conciliated by one local Compact."
)
WITHDRAW_REASONS = (
    "{ts} withdrew the complaint after the funder confirmed the grant would continue to the "
    "end of the financial year.",
    "The organisation has decided to use the funder's corporate complaints procedure instead.",
    "Withdrawn at the organisation's request: its trustees accepted the revised offer.",
    "Withdrawn: the decision was reversed at cabinet before conciliation began.",
)
CONCILIATION_NOTES = (
    "Meeting held with both parties on {day}; {funder_short} to set out its reasons in writing "
    "within 10 working days.",
    "Joint meeting on {day} chaired by the Compact officer with a steering group member from "
    "each sector; draft agreement circulated.",
    "Call with {ts} on {day} to agree what a good outcome would look like.",
)
MEDIATION_NOTES = (
    "Mediation session held on {day}; both parties agreed to share the financial information.",
    "Regional mediator met the funder's commissioning lead on {day}.",
)
ACKNOWLEDGEMENT_NOTE = (
    "Acknowledged to {ts} on {day}; asked for the grant agreement and the notice letter."
)

# Learning as an officer would write it for other Compacts: no names, no figures.
LEARNINGS = (
    "Agree the notice period in writing at the start of every grant, and note the date by "
    "which notice of any change must be given.",
    "Ask for the equality impact assessment before the decision, not after: it was the "
    "quickest route to a longer consultation.",
    "A joint meeting with the funder's finance staff, not only its commissioners, settled the "
    "late payments within a week.",
    "Regional funders need a named Compact contact in each locality; without one, notice "
    "letters went to the wrong team.",
    "Early market engagement with the sector avoids tenders that no local organisation can "
    "bid for.",
    "Phasing a reduction over two years kept the service running while the organisation "
    "found other income.",
    "Writing the Compact's three-month notice rule into the grant agreement made the breach "
    "plain to both sides.",
    "Mediation moved once both sides agreed the facts in a shared timeline before the first "
    "meeting.",
    "A consultation shorter than 12 weeks must say why; asking for the reason in writing led "
    "to an extension.",
)
NO_AGREEMENT_TEXTS = (
    (
        OutcomeType.NO_AGREEMENT,
        "No agreement at mediation; the decision stands and both parties have the mediator's "
        "note of the points that remain in dispute.",
    ),
    (
        OutcomeType.REFERRED_NATIONAL,
        "Referred for national Compact advice on whether the funder's regional programme is "
        "covered by each local Compact.",
    ),
)
