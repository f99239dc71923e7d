"""Rows without transitions come from factories; state comes from the real services."""

from datetime import date

import factory

from accounts.models import Role
from casework.codes import Ethnicity, Sex, UPNUnknownReason
from casework.models import Child, ServiceArea, Team, Worker, WorkerRole
from tests.factories.accounts import UserFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Assessment team {n}")
    service_area = ServiceArea.ASSESSMENT


class WorkerFactory(factory.django.DjangoModelFactory):
    """A worker whose user account's role agrees with the worker role."""

    class Meta:
        model = Worker

    class Params:
        user_role = Role.SOCIAL_WORKER

    user = factory.SubFactory(UserFactory, role=factory.SelfAttribute("..user_role"))
    staff_id = factory.Sequence(lambda n: f"S{n:05d}")
    first_name = factory.SelfAttribute("user.first_name")
    last_name = factory.SelfAttribute("user.last_name")
    team = factory.SubFactory(TeamFactory)
    role = WorkerRole.SOCIAL_WORKER
    started_on = date(2020, 1, 6)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    la_child_id = factory.Sequence(lambda n: f"C{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(2016, 9, 14)
    sex = Sex.FEMALE
    ethnicity = Ethnicity.WBRI
    disabilities = factory.LazyFunction(lambda: ["NONE"])
    upn_unknown_reason = UPNUnknownReason.UN3
