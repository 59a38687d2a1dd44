from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from negotiations.demo import DEMO_PASSWORD, USERS, seed_demo


class Command(BaseCommand):
    help = "Loads the demo rounds, themes and users. Safe to run again; refuses when DEBUG is off."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with a known password and only runs with DEBUG on "
                "(DJANGO_DEBUG=true)."
            )
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Logins (password 'demo'):"))
        for username, *_ in USERS:
            self.stdout.write(f"  {username} / {DEMO_PASSWORD}")
