"""A body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): 413 in JSON, as for any body over the API's limit."""

from django.conf import settings


def test_it_answers_413_for_a_body_over_the_upload_limit(post_chat):
    body = b'{"message": "' + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'
    response = post_chat(body)
    assert (response.status_code, response.json()["error"]) == (413, "body_too_large")
