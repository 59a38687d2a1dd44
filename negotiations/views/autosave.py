"""What the autosaving pages (situation report, record) share: reading a save attempt."""

from django.http import HttpRequest

MAX_SECTION_LENGTH = 50_000


def posted_text(request: HttpRequest, name: str, default: str = "") -> str:
    """A text field as typed, line breaks normalised so that equal texts compare equal."""
    return request.POST.get(name, default).replace("\r\n", "\n")


def base_version(request: HttpRequest, pk: int) -> int | None:
    """The version the user's text is based on; None when the form carries none.

    After a conflict the form carries no version until the user confirms their merge with
    `merged_version`, so further autosaves cannot overwrite the newer text either."""
    raw = request.POST.get("merged_version") or request.POST.get(f"version-{pk}")
    raw = raw or request.POST.get("version")
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
