"""The URLs of many rows: one `reverse()` per URL name and page, not one per row.

`reverse()` walks the resolver's tables every time (about a hundred Python calls), and a page
with a link or three on each of its rows pays that hundreds of times. For a URL whose only
argument is an integer primary key the reversed URL differs from row to row only in that
number, so `PkUrl` reverses it once with a marker number and puts each row's pk in its place.
"""

from django.urls import reverse

# A number no URL of ours has elsewhere in it, so that splitting at it is unambiguous.
MARKER = 918273645


class PkUrl:
    """`PkUrl("negotiations:negotiation-detail")(pk)` == `reverse(..., args=[pk])`."""

    def __init__(self, viewname: str) -> None:
        url = reverse(viewname, args=[MARKER])
        self.head, marker, self.tail = url.partition(str(MARKER))
        if not marker or str(MARKER) in self.tail:
            raise ValueError(f"{viewname} does not take one integer argument")

    def __call__(self, pk: int) -> str:
        return f"{self.head}{int(pk)}{self.tail}"
