"""Being written (issue 5)."""


def public_records(request):
    raise NotImplementedError


def public_record(request, pk):
    raise NotImplementedError
