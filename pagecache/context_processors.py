from django.http import HttpRequest

from pagecache.pages import CSRF_MARK, NONCE_MARK


def marks(request: HttpRequest) -> dict:
    """While a page is drawn for the cache, its CSRF token and CSP nonce are marks that each
    response replaces with its own (the last processor: it overrides Django's)."""
    if getattr(request, "_pagecache_marks", False):
        return {"csrf_token": CSRF_MARK, "csp_nonce": NONCE_MARK}
    return {}
