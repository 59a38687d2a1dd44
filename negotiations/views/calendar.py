"""Being written (issue 3)."""


def round_calendar(request, pk, token):
    raise NotImplementedError


def negotiation_calendar(request, pk):
    raise NotImplementedError
