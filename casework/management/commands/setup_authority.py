"""python manage.py setup_authority --la-code 850 --name "Hampshire County Council"

Sets up an empty installation's authority (its DfE LA code, used in every return and UPN
check). Running it again with the same code changes nothing; a different code is refused.
"""

from django.core.management.base import BaseCommand, CommandError

from casework.errors import DomainError
from casework.services.authority import authority_setup


class Command(BaseCommand):
    help = "Set up the local authority this installation serves (LA code and name)."

    def add_arguments(self, parser):
        parser.add_argument("--la-code", required=True, help="The 3-digit DfE LA code, e.g. 850")
        parser.add_argument("--name", required=True, help="The authority's name")

    def handle(self, *args, la_code, name, **options):
        try:
            authority, created = authority_setup(
                la_code=la_code, name=name, why="Set up with manage.py setup_authority"
            )
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        verb = "Set up" if created else "Already set up:"
        self.stdout.write(f"{verb} {authority}")
