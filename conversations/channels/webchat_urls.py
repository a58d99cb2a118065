from django.urls import path

from conversations.channels import webchat_views

urlpatterns = [
    path("chat/<slug:assistant>/", webchat_views.chat_page, name="webchat-page"),
    path("chat/<slug:assistant>/messages", webchat_views.chat_messages, name="webchat-messages"),
]
