"""Children: census characteristics validated at entry; optimistic concurrency."""

from datetime import date

import pytest

from casework import errors, services
from casework.errors import ConflictError, DomainError
from casework.models import Child
from casework.services.children import child_add_new, nhs_number_is_valid
from tests.casework.helpers import assert_refused_unchanged

pytestmark = pytest.mark.django_db

VALID = {
    "la_child_id": "C900001",
    "first_name": "Amy",
    "last_name": "Stone",
    "sex": "F",
    "date_of_birth": date(2019, 2, 28),
    "upn_unknown_reason": "UN6",
}


def test_a_child_is_created(sw):
    child = services.child_create(by=sw, **VALID, nhs_number="943 476 5919")
    assert (child.nhs_number, child.disabilities, child.version) == ("9434765919", ["NONE"], 1)


def test_an_unborn_child_has_sex_u_an_expected_date_and_un8(bs):
    child = services.child_create(
        by=bs,
        la_child_id="C900002",
        first_name="Baby",
        last_name="Stone",
        sex="U",
        expected_date_of_birth=date(2025, 9, 1),
        upn_unknown_reason="UN8",
    )
    assert child.is_unborn


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"date_of_birth": None}, errors.CHILD_DOB_REQUIRED, "date_of_birth"),
        ({"expected_date_of_birth": date(2025, 9, 1)}, errors.CHILD_DOB_AND_EXPECTED, None),
        (
            {"date_of_birth": None, "expected_date_of_birth": date(2025, 9, 1)},
            errors.CHILD_UNBORN_SEX,
            "sex",
        ),
        (
            {"date_of_birth": None, "expected_date_of_birth": date(2025, 9, 1), "sex": "U"},
            errors.CHILD_UNBORN_UPN,
            "upn_unknown_reason",
        ),
        ({"upn_unknown_reason": ""}, errors.CHILD_UPN_REQUIRED, "upn"),
        ({"upn": "A12345678901B"}, errors.CHILD_UPN_AND_REASON, "upn"),
        ({"upn": "123", "upn_unknown_reason": ""}, errors.CHILD_UPN_FORMAT, "upn"),
        ({"nhs_number": "9434765918"}, errors.CHILD_NHS_FORMAT, "nhs_number"),
        ({"disabilities": ["XYZ"]}, errors.CHILD_DISABILITY_CODE.format(codes="XYZ"), None),
        ({"disabilities": ["NONE", "AUT"]}, errors.CHILD_DISABILITY_NONE_ALONE, None),
        ({"date_of_birth": date(2025, 6, 3)}, errors.DATE_IN_FUTURE, "date_of_birth"),
    ],
)
def test_census_characteristics_are_validated(sw, changes, message, field):
    with pytest.raises(DomainError) as caught:
        services.child_create(by=sw, **{**VALID, **changes})
    assert caught.value.message == message
    if field:
        assert caught.value.field == field
    assert not Child.objects.exists()


def test_a_duplicate_la_child_id_is_refused(sw):
    services.child_create(by=sw, **VALID)
    with pytest.raises(DomainError, match="already has LA child ID"):
        services.child_create(by=sw, **VALID)


def test_update_with_the_loaded_version_succeeds(sw):
    child = services.child_create(by=sw, **VALID)
    child = services.child_update(child=child, by=sw, version=1, postcode="ab1 2cd")
    assert (child.postcode, child.version) == ("ab1 2cd", 2)


def test_update_with_a_stale_version_is_a_conflict(sw, sw2):
    child = services.child_create(by=sw, **VALID)
    services.child_update(child=child, by=sw2, version=1, last_name="Stone-Rivers")
    call = lambda: services.child_update(child=child, by=sw, version=1, last_name="Rivers")  # noqa: E731
    err = assert_refused_unchanged(call, child, errors.CONFLICT)
    assert isinstance(err, ConflictError)
    assert child.last_name == "Stone-Rivers"


def test_a_birth_turns_an_unborn_child_into_a_born_one(sw):
    child = services.child_create(
        by=sw,
        la_child_id="C900003",
        first_name="Baby",
        last_name="Stone",
        sex="U",
        expected_date_of_birth=date(2025, 5, 20),
        upn_unknown_reason="UN8",
    )
    child = services.child_update(
        child=child,
        by=sw,
        version=child.version,
        date_of_birth=date(2025, 5, 22),
        expected_date_of_birth=None,
        sex="M",
        upn_unknown_reason="UN6",
    )
    assert not child.is_unborn


def test_an_auditor_cannot_add_a_child(auditor):
    with pytest.raises(DomainError):
        services.child_create(by=auditor, **VALID)


@pytest.mark.parametrize(
    ("number", "valid"),
    [("9434765919", True), ("9434765918", False), ("943476591", False), ("abcdefghij", False)],
)
def test_nhs_number_check_digit(number, valid):
    assert nhs_number_is_valid(number) is valid


def test_un7_is_refused_once_a_referral_of_the_child_had_further_action(sw):
    # UN7 is the census's "referral with no further action" (rule 8772), not "aged 6 or over".
    from tests.returns import builders

    child = services.child_create(by=sw, **VALID)
    builders.referral(
        child, date(2024, 11, 12), nfa=True, primary_need="", closed_on=date(2024, 11, 12)
    )
    child = services.child_update(
        child=child, by=sw, version=child.version, upn_unknown_reason="UN7"
    )
    assert child.upn_unknown_reason == "UN7"  # every referral NFA: allowed

    builders.referral(child, date(2025, 1, 6))  # this one led to an assessment
    call = lambda: services.child_update(  # noqa: E731
        child=child, by=sw, version=child.version, last_name="Stoner"
    )
    err = assert_refused_unchanged(call, child, errors.CHILD_UN7_NOT_NFA)
    assert err.field == "upn_unknown_reason"
    child = services.child_update(
        child=child, by=sw, version=child.version, upn_unknown_reason="UN6"
    )
    assert Child.objects.get(pk=child.pk).upn_unknown_reason == "UN6"


def test_a_child_of_6_or_over_new_to_the_authority_is_not_given_un7(sw):
    child = child_add_new(
        by=sw, first_name="Ola", last_name="Nowak", sex="F", date_of_birth=date(2012, 5, 1)
    )
    # UN7 means "every referral NFA" in the census; a new child has shown no such thing.
    assert child.upn_unknown_reason == "UN5"
