"""The nav offers "Early help" to exactly the users the page lets in: both read the one
gate ``case_detail_view`` (issue 18 review: a user with no role was let into the page
the nav hid from them)."""

import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory

from accounts.models import Role, User
from earlyhelp.views import episode_list

pytestmark = pytest.mark.django_db
EARLY_HELP_LINK = ">Early help</a>"


def _nav(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("includes/nav.html", {"user": user, "request": request})


def _page(user):
    request = RequestFactory().get("/early-help/")
    request.user = user
    try:
        return episode_list(request).status_code
    except Http404:
        return 404


def test_a_worker_sees_the_link_and_the_page(sw):
    assert EARLY_HELP_LINK in _nav(sw)
    assert _page(sw) == 200


@pytest.mark.parametrize("role", [None, ""])
def test_a_user_with_no_role_gets_neither_the_link_nor_the_page(role):
    user = User.objects.create_user(username="norole", role=Role.SOCIAL_WORKER)
    user.role = role  # an account provisioned without a role
    assert EARLY_HELP_LINK not in _nav(user)
    assert _page(user) == 404


def test_business_support_gets_neither(team):
    user = User.objects.create_user(username="bs", role=Role.BUSINESS_SUPPORT)
    assert EARLY_HELP_LINK not in _nav(user)
    assert _page(user) == 404
