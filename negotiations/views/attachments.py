"""Being written (issue 4)."""


def attachment_upload(request, pk):
    raise NotImplementedError


def attachment_download(request, pk, attachment_pk):
    raise NotImplementedError


def attachment_delete(request, pk, attachment_pk):
    raise NotImplementedError


def assessment_save(request, pk):
    raise NotImplementedError


def assessment_download(request, pk):
    raise NotImplementedError
