"""Being written (issue 5)."""


def record_detail(request, pk):
    raise NotImplementedError


def record_section_save(request, pk, section_pk):
    raise NotImplementedError


def record_section_history(request, pk, section_pk):
    raise NotImplementedError


def record_comment_add(request, pk, section_pk):
    raise NotImplementedError


def record_attendance(request, pk):
    raise NotImplementedError


def record_transition(request, pk):
    raise NotImplementedError
