from django.shortcuts import render

from core.roles import SURVEY_MANAGER, role_required


@role_required(SURVEY_MANAGER)
def overview(request):
    return render(request, "surveys/overview.html")
