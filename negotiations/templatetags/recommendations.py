"""The region's responses (vastine) to the ministries' recommendations that come back to a
negotiation: attached to the carried-over actions that `follow_up.carried_actions` lists."""

from django import template

from negotiations.forms.actions import RecommendationResponseForm
from negotiations.models import Negotiation, SituationReport
from negotiations.models.actions import RecommendationResponse

register = template.Library()


@register.simple_tag(takes_context=True)
def attach_responses(context, actions: list, negotiation: Negotiation, compact: bool = False):
    """Give each recommendation among `actions` the response written to it in this
    negotiation's report (`action.response`, None if none) and, for the region's preparer
    while the report takes changes, a form (`action.response_form`; after a refused save the
    bound one with the preparer's text). Two queries, however many recommendations."""
    recommendations = [action for action in actions if action.is_recommendation]
    if not recommendations:
        return ""
    report = SituationReport.objects.filter(negotiation=negotiation).first()
    responses = {}
    if report is not None:
        report.negotiation = negotiation
        responses = {
            response.action_id: response
            for response in RecommendationResponse.objects.filter(
                report=report, action__in=recommendations
            ).select_related("updated_by")
        }
    for response in responses.values():
        response.report = report
    writable = bool(report and not compact and report.can_edit(context["request"].user))
    bound = context.get("bound_response_form")
    for action in recommendations:
        action.response = responses.get(action.pk)
        action.response_report = report
        action.response_form = None
        if bound is not None and bound.action.pk == action.pk:
            action.response_form = bound
        elif writable:
            action.response_form = RecommendationResponseForm(
                instance=action.response, action=action
            )
    return ""
