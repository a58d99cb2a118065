from django.urls import path

from conversations.channels import views

urlpatterns = [
    path("chatbot/whatsapp", views.whatsapp_webhook, name="whatsapp-webhook"),
    path("chatbot/whatsapp/status", views.whatsapp_status, name="whatsapp-status"),
]
