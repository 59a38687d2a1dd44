"""Row locks for state changes: the state is checked on the row as it is when the write happens."""

from django.db import models, transaction


def lock_row(instance: models.Model) -> None:
    """Reload `instance` from its row, locked (SELECT … FOR UPDATE) until the transaction ends.

    A check made after this sees every change that concurrent requests have committed, and no
    other request can change the row before this one commits: a repeated "approve" waits, then
    finds the record already approved. Must be called inside `transaction.atomic()`.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_row() needs a transaction: wrap the change in atomic().")
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
