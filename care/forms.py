"""Care recording forms: shape and format only; every rule is the service's (care.services)."""

from __future__ import annotations

from django import forms

from care import codes
from care.models import AdopterHousehold
from casework.codes import Ethnicity
from casework.forms.common import (
    GovukDateField,
    RecordingForm,
    VersionedForm,
    choice,
    govuk_layout,
    short_text,
    text,
    yes_no,
)

NONE = [("", "Select")]


def _select(label, choices, *, required=True):
    return choice(label, NONE + list(choices), radios=False, required=required)


class _Laid:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = govuk_layout(self)


class PlacementFields(forms.Form):
    place = _select("Placement type", codes.PlacementType.choices)
    provider = _select("Placement provider", codes.PlacementProvider.choices, required=False)
    postcode = short_text("Placement postcode", 8)
    urn = short_text("Ofsted URN", 8)
    carer = short_text("Carer or provider reference", 100)
    long_term = yes_no("Is the placement intended to last until the child is 18?")


class CareStartForm(_Laid, RecordingForm, PlacementFields):
    started_on = GovukDateField(label="Date the child became looked after")
    legal_status = _select("Legal status", codes.LegalStatus.choices)
    category_of_need = _select("Category of need", codes.CategoryOfNeed.choices)
    uasc = yes_no("Is the child an unaccompanied asylum-seeking child?")
    field_map = {"changed_on": "started_on"}
    field_order = ["started_on", "legal_status", "category_of_need", "place", "provider",
                   "postcode", "urn", "carer", "long_term", "uasc"]  # fmt: skip


class CareChangeForm(_Laid, VersionedForm, PlacementFields):
    changed_on = GovukDateField(label="Date of the change")
    legal_status = _select("New legal status (leave as Select if unchanged)",
                           codes.LegalStatus.choices, required=False)  # fmt: skip
    place = _select("New placement type (leave as Select if the placement is unchanged)",
                    codes.PlacementType.choices, required=False)  # fmt: skip
    same_carer = yes_no("Is the new placement with the same carer?")
    long_term = yes_no("Is the new placement intended to last until the child is 18?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("same_carer", "long_term"):
            self.fields[name].required = False

    reason_place_change = _select("Reason for the placement change",
                                  codes.PlacementChangeReason.choices, required=False)  # fmt: skip
    field_order = ["changed_on", "legal_status", "place", "provider", "postcode", "urn",
                   "carer", "long_term", "same_carer", "reason_place_change"]  # fmt: skip


class CareEndForm(_Laid, VersionedForm):
    ended_on = GovukDateField(label="Date the child ceased to be looked after")
    reason_ceased = _select(
        "Reason ceased", [c for c in codes.ReasonCeased.choices if c[0] != codes.ReasonCeased.X1]
    )


class CareReviewForm(_Laid, VersionedForm):
    held_on = GovukDateField(label="Date of the review")
    participation = choice("How the child took part", codes.ReviewParticipation.choices)


class CareVisitForm(_Laid, VersionedForm):
    visited_on = GovukDateField(label="Date of the visit")
    child_seen = yes_no("Was the child seen?")
    seen_alone = yes_no("Was the child seen alone?")
    notes = text("Notes", required=False)


class VisitFrequencyForm(_Laid, VersionedForm):
    interval_days = forms.IntegerField(
        label="Visit at least every (days)", required=False, min_value=1, max_value=366,
        help_text="Leave blank to return to the regulation's intervals",
        error_messages={"invalid": "Enter a whole number of days",
                        "min_value": "Enter at least 1 day", "max_value": "Enter 366 or fewer"},
    )  # fmt: skip
    reason = text("Reason for the change")


class HealthCheckForm(_Laid, VersionedForm):
    kind = choice("What was done", codes.HealthCheckKind.choices)
    done_on = GovukDateField(label="Date")


class PepForm(_Laid, VersionedForm):
    held_on = GovukDateField(label="Date of the PEP meeting")


class MissingForm(_Laid, VersionedForm):
    kind = choice("Missing or away", codes.MissingKind.choices)
    started_on = GovukDateField(label="Date the child went missing")
    ended_on = GovukDateField(label="Date the child returned (if they have)", required=False)


class MissingReturnForm(_Laid, VersionedForm):
    ended_on = GovukDateField(label="Date the child returned")
    interview_offered = yes_no("Was a return home interview offered?")
    interview_on = GovukDateField(label="Date of the return home interview", required=False)


class PathwayReviewForm(_Laid, VersionedForm):
    held_on = GovukDateField(label="Date of the pathway plan review")


class LeaverContactForm(_Laid, VersionedForm):
    contacted_on = GovukDateField(label="Date of the contact")
    in_touch = choice("Is the authority in touch with the young person?", codes.InTouch.choices)
    activity = _select("Main activity (if in touch)", codes.LeaverActivity.choices,
                       required=False)  # fmt: skip
    accommodation = _select("Accommodation and whether it is suitable (if in touch)",
                            codes.LeaverAccommodation.choices, required=False)  # fmt: skip


class AdoptionDecisionForm(_Laid, VersionedForm):
    decided_on = GovukDateField(label="Date of the decision that the child should be placed "
                                "for adoption")  # fmt: skip


class PlacementOrderForm(_Laid, VersionedForm):
    ordered_on = GovukDateField(label="Date of the placement order")


class AdoptionMatchForm(_Laid, VersionedForm):
    """The adopters are a household approved here (care.adopters; AD1's number, sex and
    legal status are then theirs, and Annex A list 11 links the child), or, for adopters
    approved by another agency, described by the three AD1 fields (care.adoption.
    adoption_match says which are needed)."""

    matched_on = GovukDateField(label="Date the child was matched with the adopters")
    household = forms.ModelChoiceField(
        label="Approved adopters (our own agency)", required=False, empty_label="Select",
        queryset=None, help_text="Leave unselected for adopters approved by another agency",
    )  # fmt: skip
    adopters_number = forms.TypedChoiceField(
        label="Number of adopters", choices=NONE + [("1", "One"), ("2", "Two")], coerce=int,
        required=False, empty_value=None,
    )  # fmt: skip
    adopters_sex = _select("Adopters' sex", codes.AdopterSex.choices, required=False)
    adopters_legal_status = _select(
        "Adopters' legal status", codes.AdopterLegalStatus.choices, required=False
    )
    with_foster_carer = yes_no("Is the child being adopted by their foster carer?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Approved and still in the process; the service checks the dates against the match.
        self.fields["household"].queryset = (
            AdopterHousehold.objects.current()
            .filter(approved_on__isnull=False, left_on__isnull=True)
            .order_by("reference")
        )


class AdoptionPlaceForm(_Laid, VersionedForm, PlacementFields):
    placed_on = GovukDateField(label="Date the child was placed with the adopters")
    field_order = ["placed_on", "place", "provider", "postcode", "urn", "carer", "long_term"]


class AdoptionOrderForm(_Laid, VersionedForm):
    ordered_on = GovukDateField(label="Date of the adoption order")
    consent_dispensed = yes_no("Did the court dispense with parental consent?")


class CareLeaverStartForm(_Laid, RecordingForm):
    on = GovukDateField(label="Date the leaving-care duties start")
    personal_adviser = short_text("Personal adviser", 120)


class PathwayPlanForm(_Laid, VersionedForm):
    agreed_on = GovukDateField(label="Date the pathway plan was agreed")


class StayingPutForm(_Laid, VersionedForm):
    started_on = GovukDateField(label="Date the staying put arrangement started")
    ended_on = GovukDateField(label="Date it ended (if it has)", required=False)


class PreviousPermanenceForm(_Laid, VersionedForm):
    kind = choice("Did the child have a permanence order before this period of care?",
                  codes.PreviousPermanence.choices)  # fmt: skip
    la = short_text("Local authority that made the order (LA code, or NIR, SCO, WAL, NUK)", 9)
    made_on = GovukDateField(label="Date of the order", required=False)


class AdoptionReversalForm(_Laid, VersionedForm):
    reversed_on = GovukDateField(label="Date the decision was reversed")
    reason = choice("Why the child should no longer be placed for adoption",
                    codes.AdoptionReversal.choices)  # fmt: skip


# Prospective adopters (care.adopters): a household of one or two people and its steps.
ADOPTER_SEX = [("M", "Male"), ("F", "Female")]
# The steps after the initial enquiry, in order (care.adopters.STEPS).
LATER_STEPS = [
    ("stage1_started_on", "Stage 1 started"), ("stage1_ended_on", "Stage 1 ended"),
    ("applied_on", "Application"), ("stage2_started_on", "Stage 2 started"),
    ("stage2_ended_on", "Stage 2 ended"), ("approved_on", "Approved"),
]  # fmt: skip


class AdopterHouseholdForm(_Laid, RecordingForm):
    reference = short_text("Family ID", 20, required=True)
    enquiry_on = GovukDateField(label="Date of the initial enquiry")
    legal_status = _select("Adopters' legal status (single adopter, or the couple's)",
                           codes.AdopterLegalStatus.choices)  # fmt: skip
    first_sex = _select("First adopter's sex", ADOPTER_SEX)
    first_ethnicity = _select("First adopter's ethnicity", Ethnicity.choices,
                              required=False)  # fmt: skip
    second_sex = _select("Second adopter's sex (a couple only)", ADOPTER_SEX, required=False)
    second_ethnicity = _select("Second adopter's ethnicity", Ethnicity.choices,
                               required=False)  # fmt: skip
    fostering_for_adoption = yes_no("Are they approved for fostering for adoption?")
    field_map = {"adopters": "second_sex", "sex": "first_sex"}


class AdopterStepForm(_Laid, VersionedForm):
    step = choice("Step reached", LATER_STEPS)
    on = GovukDateField(label="Date")
    field_map = {name: "on" for name, _ in LATER_STEPS}
    service_fields = ("step", "on")  # care.adopters.adopter_household_step's arguments


class AdopterLeaveForm(_Laid, VersionedForm):
    left_on = GovukDateField(label="Date the adopters left the process")
    reason = choice("Why they left", codes.AdopterLeftReason.choices)
    service_fields = ("left_on", "reason")  # care.adopters.adopter_household_leave's
