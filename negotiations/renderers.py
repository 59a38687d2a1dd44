"""A form renderer that draws selects and labels in Python, with the very HTML of Django's
templates for them.

Django's select template includes two more templates for every option (the option and its
attributes), and a label is a template of its own: a form of filters with some 90 options,
such as the action tracker's, spends milliseconds a request in them. `QuickRenderer` writes
the same output as string formatting and hands every other template to the project's
renderer (`TemplatesSetting`). The project overrides none of these templates; one that did
would have to be followed here.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
LABEL = "django/forms/label.html"


def attributes(attrs: dict) -> str:
    """`django/forms/widgets/attrs.html` and `django/forms/attrs.html`: ` name="value"`, a
    bare name for True, nothing for False (a value is escaped even if marked safe, as the
    templates' stringformat filter has it)."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select(widget: dict) -> SafeString:
    """`django/forms/widgets/select.html` with its `select_option.html`s, stripped as the
    renderer strips it."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    escape(option["value"]),
                    mark_safe(attributes(option["attrs"])),
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def label(context: dict) -> SafeString:
    """`django/forms/label.html`."""
    text = conditional_escape(context["label"])
    if not context["use_tag"]:
        return text
    tag = conditional_escape(context["tag"])
    return mark_safe(f"<{tag}{attributes(context['attrs'])}>{text}</{tag}>")


class QuickRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            return select(context["widget"])
        if template_name == LABEL:
            return label(context)
        return super().render(template_name, context, request)


QUICK = QuickRenderer()
