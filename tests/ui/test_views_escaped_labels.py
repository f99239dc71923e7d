"""Issue 16 finding 4: user-entered text (a child's name) in a form label is escaped.

crispy-forms-gds renders labels and hints with ``|safe``; the project's templates/gds/
overrides escape them, so a name cannot inject markup into any form.
"""

from datetime import date

from casework.models import Child
from tests.ui import builders

HOSTILE = '<meta http-equiv="refresh" content="0;url=https://example.org">'
ESCAPED = (
    "&lt;meta http-equiv=&quot;refresh&quot; content=&quot;0;url=https://example.org&quot;&gt;"
)


def _hostile(child: Child) -> Child:
    # Names are 60 characters at most: the full name (first and last) is the payload.
    first, last = HOSTILE.split(" content=")
    Child.objects.filter(pk=child.pk).update(first_name=first, last_name=f"content={last}")
    child.refresh_from_db()
    return child


def test_a_name_in_the_screening_form_labels_is_escaped(mary, login):
    kids = builders.children(2, last_name="Screened")
    _hostile(kids[0])
    contact = builders.contacts([kids], received_on=date(2025, 6, 13))[0]

    body = login(mary).get(f"/contacts/{contact.pk}/screen/").content.decode()

    assert ESCAPED in body
    assert HOSTILE not in body


def test_a_name_in_the_visit_form_labels_is_escaped(alice, login):
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    _hostile(referral.child)

    body = login(alice).get(f"/referrals/{referral.pk}/visit/").content.decode()

    assert ESCAPED in body
    assert HOSTILE not in body
