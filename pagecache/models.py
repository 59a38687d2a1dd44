"""How many times each tracked table has changed: the version a cached page is keyed by.

The database keeps the counts itself, with triggers (pagecache.triggers): every INSERT,
UPDATE and DELETE on a tracked table counts, whoever makes it (a view, the admin, a
queryset's update(), a management command, raw SQL), in the same transaction as the change.
"""

from django.db import models


class TableVersion(models.Model):
    table = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "table version"

    def __str__(self) -> str:
        return f"{self.table} {self.version}"
