"""`{{ value|day }}`: the date filter's "j.n.Y" at a fraction of its cost (negotiations.display),
for the dates on every row of the busy pages."""

from django import template

from negotiations import display

register = template.Library()


@register.filter(expects_localtime=True)
def day(value) -> str:
    return display.day(value)
