"""The API's lookups: the Compacts a token's user may see, with the rules in force, and the
organisations by kind and Compact, so that a client can find the codes and ids it needs."""

from __future__ import annotations

from flask import g, jsonify, request

from .. import lookups
from ..bounds import MAX_PAGE
from ..models import OrganisationKind
from .common import (
    AUTH_ERRORS,
    COMPACT_CODE,
    COMPACT_CODE_LENGTH,
    V1,
    bp,
    int_arg,
    query_param,
    text_arg,
)
from .openapi import Operation, register
from .problems import Problem
from .schemas import CompactList, CompactOut, OrganisationOut, OrganisationPage, ProblemOut

# The API's words for the kinds of organisation.
KINDS = {"funder": OrganisationKind.STATUTORY, "third_sector": OrganisationKind.THIRD_SECTOR}
KIND_NAMES = {kind: name for name, kind in KINDS.items()}


register(
    Operation(
        "GET",
        f"{V1}/compacts",
        "List the Compacts you can see, with the rules in force in each",
        "Lookups",
        responses={200: CompactList, 422: ProblemOut, **AUTH_ERRORS},
        description=(
            "An officer sees their Compact and its districts, a mediator or viewer their "
            "region's, a funder those of its organisation's region, an administrator all. "
            "A district inherits every rule it does not set from its upper-tier Compact."
        ),
    )
)


def _compact_body(entry: lookups.CompactEntry) -> dict:
    compact = entry.compact
    parent = compact.parent
    return CompactOut(
        code=compact.code,
        name=compact.name,
        tier=compact.tier.value,
        region={"code": compact.region.code, "name": compact.region.name},
        parent={"code": parent.code, "name": parent.name} if parent else None,
        rules=[
            {
                "name": rule.name,
                "label": rule.label,
                "count": rule.period.count,
                "unit": rule.period.unit.value,
                "period": rule.period.describe(),
                "source": rule.source,
            }
            for rule in entry.rules
        ],
    ).model_dump(mode="json")


@bp.get(f"{V1}/compacts")
def list_compacts():
    entries = lookups.compacts(g.api_user)
    return jsonify(CompactList(items=[_compact_body(e) for e in entries]).model_dump(mode="json"))


register(
    Operation(
        "GET",
        f"{V1}/organisations",
        "List the organisations you can look up, by kind and Compact",
        "Lookups",
        responses={200: OrganisationPage, 422: ProblemOut, **AUTH_ERRORS},
        query=(
            query_param(
                "kind",
                {"type": "string", "enum": list(KINDS)},
                "funder: statutory funders; third_sector: voluntary and community organisations",
            ),
            query_param(
                "compact",
                COMPACT_CODE,
                "A Compact's code: the organisations that work in it (its own, its upper-tier "
                "Compact's, and the region's bodies that belong to no Compact)",
            ),
            query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page"),
            query_param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Page size"),
        ),
        description=(
            "The organisations of the regions of the Compacts you can see (all for an "
            "administrator), by name."
        ),
    )
)


@bp.get(f"{V1}/organisations")
def list_organisations():
    errors: dict[str, list[str]] = {}
    page = int_arg("page", 1, 1, MAX_PAGE, errors)
    per_page = int_arg("per_page", 100, 1, 100, errors)
    kind_name = request.args.get("kind")
    if kind_name is not None and kind_name not in KINDS:
        errors["kind"] = ["Must be funder or third_sector"]
    code = text_arg("compact", COMPACT_CODE_LENGTH, errors)
    compact = None
    if code and "compact" not in errors:
        compact = lookups.find_compact(g.api_user, code)
        if compact is None:
            errors["compact"] = [f"No Compact with the code {code} that you can see"]
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    found = lookups.organisations(
        g.api_user, KINDS.get(kind_name or ""), compact, page=page, per_page=per_page
    )
    body = OrganisationPage(
        items=[
            OrganisationOut(
                id=o.id,
                name=o.name,
                kind=KIND_NAMES[o.kind],
                type=o.type.value,
                compact=o.compact.code if o.compact else None,
                region=o.region.code,
            )
            for o in found.items
        ],
        total=found.total,
        page=page,
        per_page=per_page,
    )
    return jsonify(body.model_dump(mode="json"))
