"""An early help episode's history as plain text: what a step-up contact carries to the
front door, so the screener reads what early help did without opening another system."""

from __future__ import annotations

from earlyhelp.codes import Need


def history_text(episode) -> str:
    d = "%d/%m/%Y"
    lines = [
        f"Early help history (episode requested {episode.requested_on:{d}}, "
        f"{episode.get_route_display().lower()}):"
    ]
    if episode.assessment_started_on:
        lines.append(
            f"- Early help assessment started {episode.assessment_started_on:{d}} by "
            f"{episode.lead_practitioner} ({episode.get_lead_agency_display()})"
        )
    if episode.assessment_completed_on:
        needs = ", ".join(Need(n).label.lower() for n in episode.needs if n in Need.values)
        lines.append(
            f"- Assessment completed {episode.assessment_completed_on:{d}}; needs: {needs}"
        )
    members = list(episode.taf_members.current())
    if members:
        lines.append("- Team around the family: " + "; ".join(str(m) for m in members))
    if episode.plan_started_on:
        lines.append(f"- Family plan from {episode.plan_started_on:{d}}")
    for review in episode.reviews.current():
        lines.append(f"- Plan review {review.held_on:{d}}: {review.progress}")
    return "\n".join(lines)
