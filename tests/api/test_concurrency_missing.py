"""A change to a record that is not there (an id no row has, or no id at all) is a 404
from the version check, never a 500 (issue 18 review: ``lock_at_version``'s ``.get()``)."""

import pytest

from casework.models import Child

pytestmark = pytest.mark.django_db
MISSING = ["999999", "abc", "99999999999999999999999"]


@pytest.mark.parametrize("pk", MISSING)
def test_changing_a_child_that_is_not_there_is_a_404(sw, allocated, client_for, pk):
    client = client_for(sw)
    response = client.patch(
        f"/api/v1/children/{pk}/", {"first_name": "Ada"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 404
    assert not Child.objects.filter(first_name="Ada").exists()


@pytest.mark.parametrize("pk", MISSING)
def test_a_transition_on_a_referral_that_is_not_there_is_a_404(tm, client_for, pk):
    response = client_for(tm).post(
        f"/api/v1/referrals/{pk}/close/", {}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 404


def test_the_services_lock_refuses_an_unreadable_id_as_not_found(allocated):
    from casework.services.common import lock_at_version

    for pk in MISSING:
        with pytest.raises(Child.DoesNotExist):
            lock_at_version(Child.objects.all(), pk=pk)
