"""``samskaping score risk|goals|utenfor|assessment FILE|--example NAME``.

Prints the scoring results of a document as text or JSON. The JSON shape is
documented in ``docs/scoring.md`` and versioned by ``"schema_version": 1``.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from samskaping._cli._as_of import add_as_of_argument
from samskaping._cli._common import (
    EXIT_OK,
    add_document_arguments,
    add_format_argument,
    add_lang_argument,
    add_profile_argument,
    emit,
    emit_json,
    input_path,
    iso_date,
    load_document,
    profile_of,
    read_as,
    shorten,
    write_output,
)
from samskaping._errors import InvalidInputError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``score`` command."""
    parser = subparsers.add_parser(
        "score", help="score risks, goal attainment, utenfor-regnskapet or co-creation assessments"
    )
    areas = parser.add_subparsers(dest="area", metavar="AREA", required=True)

    risk = areas.add_parser("risk", help="the risk register: bands, profile, heat map")
    _common(risk)
    risk.add_argument(
        "--scale", metavar="NAME", help="risk scale (default: the document's, else default_5x5)"
    )
    risk.add_argument("--rule", metavar="NAME", help="band rule (default: the scale's)")
    risk.add_argument(
        "--risk-config",
        metavar="FILE",
        type=input_path,
        help="a TOML/JSON file with your own scales, band sets, rules "
        "(a shortcut for a profile's scales/risk.toml)",
    )
    risk.add_argument(
        "--top", type=int, default=5, metavar="N", help="how many top risks to list (default: 5)"
    )
    risk.add_argument("--svg", metavar="PATH", help="also write the heat map as SVG to PATH")
    risk.add_argument("--residual", action="store_true", help="draw the heat map after mitigation")

    goals = areas.add_parser("goals", help="goal attainment, GAS, benefits and meeting places")
    _common(goals)
    add_as_of_argument(goals, document=True)

    utenfor = areas.add_parser(
        "utenfor", help="utenfor-regnskapet: consistency check and calculator"
    )
    _common(utenfor)
    utenfor.add_argument(
        "--cost-profile",
        metavar="NAME|FILE",
        help="cost profile to calculate with: a name of the profile's or a file "
        "(the shipped illustrative_low_income is invented)",
    )
    utenfor.add_argument(
        "--discount-rate", default="0", metavar="RATE", help="yearly discount rate (default: 0)"
    )
    utenfor.add_argument(
        "--tolerance",
        default="0.5",
        metavar="N",
        help="consistency tolerance in persons (default: 0.5)",
    )

    assessment = areas.add_parser(
        "assessment",
        help="idea diamond, considerations, KS keys, systems change, participation, surveys",
    )
    _common(assessment)

    for sub in (risk, goals, utenfor, assessment):
        sub.set_defaults(run=_run)


def _common(parser: argparse.ArgumentParser) -> None:
    add_document_arguments(parser)
    add_format_argument(parser, ("text", "json"), "text")
    add_lang_argument(parser)
    add_profile_argument(parser)


def _risk_config(args: argparse.Namespace, profile: Any) -> Any:
    """The profile's risk config, with the ``--risk-config`` file's entries added."""
    if not args.risk_config:
        return profile.risk
    from samskaping.scoring import RiskConfig, check_risk_config  # noqa: PLC0415  (lazy: loaded on use)

    own: Any = read_as(args.risk_config, RiskConfig)
    return check_risk_config(profile.risk.merged(own), source=Path(args.risk_config).name)


def _decimal(text: str, what: str) -> Any:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidInputError(
            f"expected a number for --{what}, got {shorten(text)!r}", what=what
        ) from None
    if not value.is_finite():
        raise InvalidInputError(f"expected a finite number for --{what}", what=what)
    return value


def _has_content(area: str, project: Any) -> bool:
    if area == "risk":
        return bool(project.risks)
    if area == "goals":
        return bool(
            project.goals or project.deliverables or project.benefits or project.meeting_places
        )
    if area == "utenfor":
        return bool(project.assessments.utenfor)
    from samskaping.model import Assessments  # noqa: PLC0415  (lazy: loaded on use)

    return project.assessments != Assessments() or bool(project.involvement_activities)


def _reports(args: argparse.Namespace, document: Any, profile: Any) -> list[Any]:
    from samskaping import scoring  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.model import iter_projects  # noqa: PLC0415  (lazy: loaded on use)

    projects = [
        (path, p)
        for path, p in iter_projects(document)
        if path == "$" or _has_content(args.area, p)
    ]
    reports: list[Any] = []
    if args.area == "risk":
        config = _risk_config(args, profile)
        if args.top < 0:
            raise InvalidInputError("expected --top of at least 0", what="top")
        for path, project in projects:
            matrix = scoring.risk_matrix(args.scale or project.risk_scale, args.rule, config=config)
            reports.append(scoring.risk_report(project, matrix, top=args.top, path=path))
    elif args.area == "goals":
        as_of = None
        if args.as_of:
            try:
                as_of = iso_date(args.as_of)
            except ValueError:
                raise InvalidInputError(
                    f"expected --as-of as YYYY-MM-DD, got {shorten(args.as_of)!r}", what="as_of"
                ) from None
        reports.extend(
            scoring.goals_report(
                p,
                as_of=as_of,
                path=path,
                settings=profile.goals,
                viability=profile.meeting_places,
            )
            for path, p in projects
        )
    elif args.area == "utenfor":
        cost = None
        if args.cost_profile:
            chosen = args.cost_profile
            cost = (
                profile.cost_profiles[chosen]
                if chosen in profile.cost_profiles
                else scoring.load_cost_profile(Path(chosen))
            )
        rate = _decimal(args.discount_rate, "discount-rate")
        tolerance = _decimal(args.tolerance, "tolerance")
        reports.extend(
            scoring.utenfor_report(
                p,
                cost,
                discount_rate=rate,
                tolerance=tolerance,
                path=path,
                profiles=profile.cost_profiles,
            )
            for path, p in projects
        )
    else:
        reports.extend(
            scoring.assessment_report(
                p, path=path, data=profile.assessments, instruments=profile.survey_instruments
            )
            for path, p in projects
        )
    return reports


def _run(args: argparse.Namespace) -> int:
    from samskaping import scoring  # noqa: PLC0415  (lazy: loaded on use)
    from samskaping.l10n import check_lang  # noqa: PLC0415  (lazy: loaded on use)

    lang = check_lang(args.lang)
    document = load_document(args)
    profile = profile_of(args)
    reports = _reports(args, document, profile)
    if args.area == "risk" and args.svg:
        from samskaping.report import heat_map_svg  # noqa: PLC0415  (lazy: loaded on use)

        root = reports[0]
        picture = root.residual_heat_map if args.residual else root.heat_map
        write_output(args.svg, heat_map_svg(picture, lang))
    if args.format == "json":
        emit_json(
            {
                "schema_version": scoring.SCHEMA_VERSION,
                "area": args.area,
                "lang": lang,
                "document": {"id": document.id, "name": document.name, "kind": document.kind},
                "reports": [scoring.to_json(r, lang, versioned=False) for r in reports],
            }
        )
    else:
        from samskaping.report import report_text  # noqa: PLC0415  (lazy: loaded on use)

        emit(
            "\n\n".join(
                report_text(r, lang, risk=profile.risk, instruments=profile.survey_instruments)
                for r in reports
            )
        )
    return EXIT_OK
