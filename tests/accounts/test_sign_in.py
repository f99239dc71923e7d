"""Sign-in hardening: lockout, two-factor, session limits, disabled accounts."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from tests.accounts.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD, address="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def code_for(device: TOTPDevice) -> str:
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = timezone.now().timestamp()
    return f"{generator.token():0{device.digits}d}"


# Lockout (django-axes) -------------------------------------------------------------


def test_five_wrong_passwords_lock_out_that_user_from_that_address_for_15_minutes(client, caplog):
    user = make_user(username="sam")
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        caplog.set_level(logging.WARNING, logger="axes")
        statuses = [sign_in(client, "sam", "wrong").status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
        locked = sign_in(client, "sam")
        assert locked.status_code == 429
        assert "Too many attempts to sign in" in locked.content.decode()
        assert any("Locking out" in r.getMessage() for r in caplog.records)
        # The same user from another address, and another user here, are not locked.
        assert sign_in(client, "sam", address="192.0.2.99").status_code == 302
        client.logout()
        make_user(username="alex")
        assert sign_in(client, "alex").status_code == 302
        client.logout()
        clock.shift(timedelta(minutes=14))
        assert sign_in(client, "sam").status_code == 429
        clock.shift(timedelta(minutes=2))
        response = sign_in(client, "sam")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


# Two-factor (django-otp TOTP) ------------------------------------------------------


@pytest.fixture
def require_2fa(settings):
    settings.CASEFLOW_REQUIRE_2FA = True


def test_a_user_without_a_device_is_sent_to_enrol_one_after_the_password(client, require_2fa):
    user = make_user(Role.SOCIAL_WORKER, username="newstarter")
    response = sign_in(client, "newstarter")
    assert response.status_code == 302
    home = client.get("/children/")
    assert home.status_code == 302
    assert home["Location"].startswith("/accounts/two-factor/setup/")
    setup = client.get(home["Location"])
    assert setup.status_code == 200
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post("/accounts/two-factor/setup/", {"token": "000000", "next": "/"})
        assert "Enter the 6-digit code" in wrong.content.decode()
        clock.shift(timedelta(seconds=2))  # django-otp throttles for 1s after a wrong code
        confirmed = client.post(
            "/accounts/two-factor/setup/", {"token": code_for(device), "next": "/"}
        )
    assert confirmed.status_code == 302
    assert client.get("/children/").status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed


def test_a_user_with_a_device_must_enter_a_code_before_any_page(client, require_2fa):
    user = make_user(Role.HEAD_OF_SERVICE, username="hos")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(client, "hos")
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    # A password alone cannot enrol a second device.
    assert client.get("/accounts/two-factor/setup/")["Location"].startswith(
        "/accounts/two-factor/verify/"
    )
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post("/accounts/two-factor/verify/", {"token": "123456"})
        assert wrong.status_code == 200
        assert client.get("/children/").status_code == 302
        clock.shift(timedelta(seconds=2))  # django-otp throttles for 1s after a wrong code
        verified = client.post("/accounts/two-factor/verify/", {"token": code_for(device)})
    assert verified.status_code == 302
    assert client.get("/children/").status_code == 200


def test_an_unverified_session_gets_403_from_the_api(client, require_2fa):
    user = make_user(username="api")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    assert client.get("/api/anything/").status_code == 403


def test_without_the_setting_the_demo_needs_no_second_factor(client, settings):
    settings.CASEFLOW_REQUIRE_2FA = False
    make_user(username="demo")
    sign_in(client, "demo")
    assert client.get("/children/").status_code == 200


# Sessions ---------------------------------------------------------------------------


def test_a_session_ends_after_30_minutes_idle(client):
    make_user(username="idle")
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        sign_in(client, "idle")
        clock.shift(timedelta(minutes=29))
        assert client.get("/children/").status_code == 200
        clock.shift(timedelta(minutes=29))  # 29 minutes after the last request
        assert client.get("/children/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/children/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_a_session_ends_10_hours_after_sign_in_however_busy(client):
    make_user(username="busy")
    with time_machine.travel("2026-03-02 08:00:00Z", tick=False) as clock:
        sign_in(client, "busy")
        for _ in range(599 // 20):  # a request every 20 minutes for 9h 40m
            clock.shift(timedelta(minutes=20))
            assert client.get("/children/").status_code == 200
        clock.shift(timedelta(minutes=21))  # 10h 1m after signing in
        response = client.get("/children/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert "_auth_user_id" not in client.session


def test_signing_in_again_restarts_the_10_hour_clock(client, settings):
    settings.SESSION_COOKIE_AGE = 24 * 3600  # idle limit out of the way for this test
    make_user(username="again")
    with time_machine.travel("2026-03-02 08:00:00Z", tick=False) as clock:
        sign_in(client, "again")
        clock.shift(timedelta(hours=9))
        client.logout()
        sign_in(client, "again")
        clock.shift(timedelta(hours=2))  # 11 hours after the first sign-in
        assert client.get("/children/").status_code == 200
        clock.shift(timedelta(hours=8, minutes=1))  # 10h 1m after the second
        assert client.get("/children/").status_code == 302


def test_disabling_an_account_ends_its_sessions_at_the_next_request(client):
    user = make_user(username="leaver")
    sign_in(client, "leaver")
    assert client.get("/children/").status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
