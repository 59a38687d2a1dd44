"""Being written (issue 4)."""


def theme_reports(request, pk, round_theme_pk):
    raise NotImplementedError
