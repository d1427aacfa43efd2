from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import accounts
from core import views as core_views

admin.site.site_header = _("publiq back office administration")
admin.site.site_title = _("publiq back office")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", accounts.password_reset, name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("curation/family/", include("family.urls")),
    path("curation/", include("curation.urls")),
    path("surveys/", include("surveys.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("uitpas/", include("uitpas.urls")),
    path("channels/", include("channels.urls")),
    path("api/", include("events.api_urls")),
    path("api/", include("curation.api_urls")),
    path("api/", include("family.api_urls")),
    path("s/", include("surveys.public_urls")),
    path("api/museumpas/", include("museumpas.urls")),
    path("api/surveys/", include("surveys.api_urls")),
    path("api/museums/", include("dashboards.api_urls")),
    path("api/uitpas/", include("uitpas.api_urls")),
    path("api/channels/", include("channels.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
