"""Query parameters Django's admin would turn into a 500: answered 400 before the admin sees them."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse

TO_FIELD_VAR = "_to_field"


class AdminQueryGuardMiddleware:
    """`?_to_field=` (empty) makes a change page look up a field named "" (FieldDoesNotExist, a 500).

    Django refuses any other field it does not allow with a 400 (DisallowedModelAdminToField): the empty
    name gets the same answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get(TO_FIELD_VAR) == "" and request.path.startswith(reverse("admin:index")):
            return HttpResponseBadRequest("Parámetro _to_field no válido.")
        return self.get_response(request)
