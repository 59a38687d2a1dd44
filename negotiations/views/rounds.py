"""Being written (issue 3)."""


def round_create(request):
    raise NotImplementedError


def round_edit(request, pk):
    raise NotImplementedError


def round_themes(request, pk):
    raise NotImplementedError


def round_status(request, pk):
    raise NotImplementedError
