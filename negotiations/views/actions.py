"""Being written (issue 5)."""


def action_add(request, pk, section_pk):
    raise NotImplementedError


def action_tracker(request):
    raise NotImplementedError


def action_export(request):
    raise NotImplementedError


def action_edit(request, pk):
    raise NotImplementedError


def action_note_add(request, pk):
    raise NotImplementedError
