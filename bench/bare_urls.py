"""The project's routes plus `POST /bench/bare`: the cheapest JSON view the same stack can serve.

It parses the same JSON body the chat endpoint gets and answers a small JSON object, through the
whole middleware stack: the physical limit of Django + gunicorn here, the denominator of the ratios.
"""

import json

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from kvky_site.urls import urlpatterns as project_urlpatterns


@csrf_exempt
def bare_json(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    return JsonResponse({"ok": True, "chars": len(str(body.get("message", "")))})


urlpatterns = [path("bench/bare", bare_json), *project_urlpatterns]
