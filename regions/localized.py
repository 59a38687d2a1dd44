"""Fields stored once per interface language (name_fi, name_sv, name_en)."""

from django.utils.translation import get_language

LANGUAGE_CODES = ("fi", "sv", "en")


def language_code(language: str | None = None) -> str:
    """The stored-field suffix for a language code such as 'sv' or 'fi-fi'; Finnish by default."""
    code = (language or get_language() or "fi").split("-")[0]
    return code if code in LANGUAGE_CODES else "fi"


class Localized:
    """Descriptor that reads `<field>_<language>` for the active language.

    Falls back to Finnish, the language every row is guaranteed to have.
    """

    def __set_name__(self, owner, name: str) -> None:
        self.field = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.localized(self.field)


class LocalizedMixin:
    def localized(self, field: str, language: str | None = None) -> str:
        value = getattr(self, f"{field}_{language_code(language)}", "")
        return value or getattr(self, f"{field}_fi")
