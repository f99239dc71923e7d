"""django-filter sets for list pages."""

import django_filters
from django import forms

from casework.models import Child
from casework.selectors.child_record import EVENT_TYPES
from casework.selectors.worktray import OPEN_STATUSES, Kind

RADIOS = forms.RadioSelect(attrs={"class": "govuk-radios__input"})


class WorktrayFilter(django_filters.FilterSet):
    """Filters for "My work". The items are computed in Python (``worktray_items``), so
    the view reads ``form.cleaned_data`` and passes kind and status to the selector."""

    kind = django_filters.ChoiceFilter(choices=Kind.CHOICES, empty_label="All steps")
    status = django_filters.ChoiceFilter(choices=OPEN_STATUSES, empty_label="Any status")

    class Meta:
        # Only the form is used; FilterSet needs a model to build it.
        model = Child
        fields = []


class ChronologyFilter(django_filters.FilterSet):
    type = django_filters.MultipleChoiceFilter(
        choices=EVENT_TYPES, widget=forms.CheckboxSelectMultiple, label="Event type"
    )

    class Meta:
        model = Child
        fields = []
