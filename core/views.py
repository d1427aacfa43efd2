from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import service_status
from core.home import home_sections


@login_required
def home(request):
    sections = home_sections(request.user)
    attention = [link for section in sections for link in section.attention]
    return render(request, "core/home.html", {"sections": sections, "attention": attention})


@never_cache
@require_GET
def health(request):
    checks = service_status()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
