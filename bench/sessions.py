"""Signed-in sessions for the load test's virtual users, made before the measured window.

Run as a script with the same environment as the gunicorn under test (above all the same
DJANGO_SECRET_KEY: a session's auth hash and encoding are keyed on it). Each session goes
through django.contrib.auth's ``login`` (the test client's ``force_login``), so it is an
ordinary database session with the sign-in time the session-lifetime middleware checks;
only the password check is skipped. Hashing 100 argon2 passwords on 2 cores took the whole
60 s window in the first medium run, which measured the sign-in page instead of the pages
the users work on. Prints ``{username: [session key, ...]}`` as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USERNAMES = ("sw", "tm", "hos")


def session_keys(count: int) -> dict[str, list[str]]:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    out = {}
    for username in USERNAMES:
        user = User.objects.get(username=username)
        keys = []
        for _ in range(count):
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
        out[username] = keys
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(json.dumps(session_keys(int(sys.argv[1]))))


if __name__ == "__main__":
    main()
