"""Run as a script under production settings: one request through the real middleware
stack, printing what a browser would get (headers and cookie flags) as JSON.

Its own URLconf and cookie-based sessions, so it needs no migrated database; the cookie
flags come from the same settings whichever session engine stores the data.
"""

import json

import django
from django.conf import settings

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.middleware.csrf import get_token  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402


def probe(request):
    request.session["seen"] = True
    get_token(request)
    return HttpResponse("ok")


urlpatterns = [path("probe/", probe)]
host = settings.ALLOWED_HOSTS[0]
with override_settings(
    ROOT_URLCONF=__name__, SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"
):
    client = Client()
    secure = client.get("/probe/", secure=True, HTTP_HOST=host)
    plain = Client().get("/probe/", HTTP_HOST=host)
session, csrf = secure.cookies[settings.SESSION_COOKIE_NAME], secure.cookies["csrftoken"]
flags = ("secure", "httponly", "samesite")
print(
    json.dumps(
        {
            "status": secure.status_code,
            "hsts": secure.get("Strict-Transport-Security"),
            "plain": [plain.status_code, plain.get("Location")],
            "session": {f: session[f] for f in (*flags, "max-age")},
            "csrf": {f: csrf[f] for f in flags},
        }
    )
)
