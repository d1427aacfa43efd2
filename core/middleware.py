from django.contrib.admin.views.main import ERROR_FLAG
from django.db import DataError
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.deprecation import MiddlewareMixin


def _is_admin(request) -> bool:
    return request.resolver_match is not None and request.resolver_match.app_name == "admin"


class AdminInputMiddleware(MiddlewareMixin):
    """What the admin takes from a URL answers 400 or the admin's invalid-filter page, not 500.

    An admin list filters by any field with any lookup, and no form checks the values first: a
    NUL byte (no PostgreSQL string holds one: the driver raises) answers 400, and values that
    PostgreSQL or Django refuse only once the list is read (DataError or ValueError:
    `?visited_at__gte=2026-01-01T00:00:00+17:55`, `?name__regex=(`, `?created__year=99999`) get
    the page of an unknown filter, as `?no_such_field=1` does.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _is_admin(request) and (
            "\x00" in request.path
            or any("\x00" in key + "".join(values) for key, values in request.GET.lists())
        ):
            return HttpResponseBadRequest("A NUL byte is not allowed here.")
        return None

    def process_exception(self, request, exception):
        if (
            not isinstance(exception, DataError | ValueError | OverflowError)
            or request.method != "GET"
            or not _is_admin(request)
            or not request.resolver_match.url_name.endswith("_changelist")
            or not set(request.GET) - {ERROR_FLAG}
        ):
            return None  # not from values in the query string: a real error
        if ERROR_FLAG in request.GET:
            return HttpResponseBadRequest("These filters are not valid.")
        return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
