from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import CURATOR, MUSEUM, STAFF_ROLES, SURVEY_MANAGER, UITPAS_PARTNER, has_role

# (label, url name, who may see it). Each area's own views check the same rule again.
_NAVIGATION = (
    (_("Curation"), "curation:overview", lambda user: has_role(user, CURATOR)),
    (_("Surveys"), "surveys:overview", lambda user: has_role(user, SURVEY_MANAGER)),
    (_("Dashboards"), "dashboards:home", lambda user: has_role(user, MUSEUM, *STAFF_ROLES)),
    (_("UiTPAS"), "uitpas:home", lambda user: has_role(user, UITPAS_PARTNER, *STAFF_ROLES)),
    (_("Administration"), "admin:index", lambda user: user.is_staff),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = [
        {
            "label": label,
            "url": reverse(url_name),
            "active": request.path.startswith(reverse(url_name)),
        }
        for label, url_name, allowed in _NAVIGATION
        if allowed(user)
    ]
    return {"navigation": items}
