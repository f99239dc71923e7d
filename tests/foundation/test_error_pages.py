"""The demo (DEBUG on) shows the app's own 404 and 500 pages, never Django's debug pages."""

from unittest import mock

import pytest
from django.test import Client, override_settings

from tests.ui import builders

DEBUG_MARK = "NONE,NOARCHIVE"

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(db):
    builders.authority()
    user = builders.user_with_worker("sam", "social_worker", builders.team("T"))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@override_settings(DEBUG=True, DEMO_MODE=True, DEBUG_PAGES=False)
def test_demo_404_is_the_apps_own_page(signed_in):
    for url in ("/no-such-page/", "/children/99999999/", "/plans/99999999/visit/"):
        response = signed_in.get(url)
        body = response.content.decode()
        assert response.status_code == 404, url
        assert "Page not found" in body and DEBUG_MARK not in body, url


@override_settings(DEBUG=True, DEMO_MODE=True, DEBUG_PAGES=False)
def test_demo_500_is_the_apps_own_page(signed_in):
    with mock.patch("casework.views.worktray.worktray_items", side_effect=RuntimeError("boom")):
        response = signed_in.get("/my-work/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert DEBUG_MARK not in body and "boom" not in body and "Traceback" not in body


@override_settings(DEBUG=True, DEMO_MODE=True, DEBUG_PAGES=True)
def test_developers_can_still_ask_for_the_debug_pages(signed_in):
    assert DEBUG_MARK in signed_in.get("/no-such-page/").content.decode()
