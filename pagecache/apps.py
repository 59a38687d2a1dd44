from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PageCacheConfig(AppConfig):
    name = "pagecache"

    def ready(self) -> None:
        from pagecache.triggers import install_triggers

        # After every migrate (a fresh database, a test database, a new table; sent for this app
        # after all migrations have run): each tracked table gets its triggers, whichever
        # migration created it.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="pagecache-triggers")
