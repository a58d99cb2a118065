from django.urls import path

from conversations.api import views

urlpatterns = [
    path("api/v1/chat", views.ChatView.as_view(), name="api-chat"),
    path(
        "api/v1/conversations/<uuid:conversation_id>/messages",
        views.ConversationMessagesView.as_view(),
        name="api-conversation-messages",
    ),
    path("chatbot/http", views.SeedChatView.as_view(), name="chatbot-http"),
    path("api/schema/", views.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", views.ApiDocsView.as_view(), name="api-docs"),
]
