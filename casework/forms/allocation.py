"""Allocating an episode to a worker, with each candidate's caseload beside their name."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from casework.forms.common import GovukDateField, RecordingForm, choice
from casework.models import AllocationReason
from casework.selectors.caseload import WorkerCaseload

_ID = {"min_value": 1, "max_value": 2**31 - 1}


def candidate_hint(load: WorkerCaseload) -> str:
    parts = [
        f"{load.children} children",
        f"{load.worker.fte} FTE",
        f"{load.per_fte} per FTE",
        f"weighted {load.weighted}",
    ]
    if load.away_until is not None:
        parts.append(f"on leave until {load.away_until:%-d %b %Y}")
    if load.limit is not None:
        parts.append(f"newly qualified, protected limit {load.limit}")
    if load.at_limit:
        parts.append("at protected limit: cannot take another child")
    elif load.over_threshold:
        parts.append(
            f"over the threshold of {load.threshold} per FTE "
            f"({load.fte_threshold.normalize():f} at {load.worker.fte.normalize():f} FTE)"
        )
    return ", ".join(parts)


class AllocationForm(RecordingForm):
    """``current_allocation`` and ``version`` are the allocation the manager saw (none for
    an unallocated case): if it changed before they save, the conflict message shows."""

    current_allocation = forms.IntegerField(widget=forms.HiddenInput, required=False, **_ID)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, **_ID)
    worker = choice("Worker", [])
    started_on = GovukDateField(label="Allocation start date")
    reason = choice("Reason for allocation", AllocationReason.choices)
    court_work = forms.BooleanField(
        label="Care proceedings (court work): weighted more heavily in caseloads",
        required=False,
    )

    def __init__(self, *args, candidates: list[WorkerCaseload], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(load.worker.pk): load for load in candidates}
        self.fields["worker"].choices = [
            Choice(str(load.worker.pk), load.worker.full_name, hint=candidate_hint(load))
            for load in candidates
        ]
        self.helper.layout = Layout(
            "form_token",
            "current_allocation",
            "version",
            Field.radios("worker", legend_size=Size.MEDIUM),
            Field("started_on"),
            Field.radios("reason", legend_size=Size.SMALL),
            Field.checkbox("court_work"),
        )

    def chosen_worker(self):
        return self.candidates[self.cleaned_data["worker"]].worker
