from django.shortcuts import render

from core.roles import CURATOR, MUSEUM, SURVEY_MANAGER, role_required


@role_required(MUSEUM, CURATOR, SURVEY_MANAGER)
def home(request):
    return render(request, "dashboards/home.html")
