"""Being written (issue 3)."""


def round_dashboard(request, pk):
    raise NotImplementedError
