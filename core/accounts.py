"""Password reset by e-mail: Django's own views with the project's templates, a throttle per
address and per e-mail address, and an audit row when a password is set."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse_lazy
from django_ratelimit.decorators import ratelimit

from core.services import audit_record


def _rate_per_address(group, request):
    return settings.ACCOUNTS_RESET_RATE_PER_ADDRESS


def _rate_per_email(group, request):
    return settings.ACCOUNTS_RESET_RATE_PER_EMAIL


def _email(group, request) -> str:
    # Case and spaces do not make a new address to mail.
    return request.POST.get("email", "").strip().lower()


# Both limits count every request, known address or not, so the answer never tells whether
# an address has an account.
@ratelimit(key="ip", group="accounts:reset", rate=_rate_per_address, method="POST", block=False)
@ratelimit(
    key=_email, group="accounts:reset-email", rate=_rate_per_email, method="POST", block=False
)
def password_reset(request):
    if getattr(request, "limited", False):
        return render(request, "registration/password_reset_limited.html", status=429)
    view = auth_views.PasswordResetView.as_view(
        # The link in the mail points at SITE_URL, the public address, whatever Host came in.
        extra_email_context={"site_url": settings.SITE_URL},
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
    )
    return view(request)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(actor=form.user, action="accounts.password_reset", target=form.user)
        # A lock-out from failed logins ends with the password the user just chose.
        transaction.on_commit(lambda: axes_reset(username=form.user.get_username()))
        return response
