"""Being written (issue 3)."""


def round_schedule(request, pk):
    raise NotImplementedError


def negotiation_detail(request, pk):
    raise NotImplementedError


def negotiation_schedule(request, pk):
    raise NotImplementedError


def participant_add(request, pk):
    raise NotImplementedError


def participant_delete(request, pk, participant_pk):
    raise NotImplementedError


def region_theme(request, pk):
    raise NotImplementedError
