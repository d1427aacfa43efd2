from django.shortcuts import render

from core.roles import CURATOR, role_required


@role_required(CURATOR)
def overview(request):
    return render(request, "curation/overview.html")
