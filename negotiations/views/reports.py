"""Being written (issue 4)."""


def report_detail(request, pk):
    raise NotImplementedError


def section_save(request, pk, section_pk):
    raise NotImplementedError


def section_history(request, pk, section_pk):
    raise NotImplementedError


def report_submit(request, pk):
    raise NotImplementedError


def report_return(request, pk):
    raise NotImplementedError
