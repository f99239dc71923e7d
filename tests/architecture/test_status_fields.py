"""Issue 18 item 3: every state machine's status field is protected, so only a declared
transition sets it (the issue found seven left ``protected=False``).

Asked of every installed model, so a new state machine is covered without being listed;
``tests/casework/test_transitions.py`` shows the refusal on each record type.
"""

from django.apps import apps
from django_fsm import FSMFieldMixin


def test_every_state_machine_field_is_protected():
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, FSMFieldMixin)
    ]
    unprotected = [f"{f.model.__name__}.{f.name}" for f in fields if not f.protected]
    machines = {f.model.__name__ for f in fields} - {
        f.model.__name__ for f in fields if f.model.__name__.startswith("Historical")
    }
    assert len(machines) >= 11  # the state machines issue 18 named, and the case file audit
    assert unprotected == []
