from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from conversations.selectors import assistant_list


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "assistants": assistant_list(),
        "chat_url": request.build_absolute_uri(reverse("api-chat")),
    }
    return render(request, "home.html", context)
