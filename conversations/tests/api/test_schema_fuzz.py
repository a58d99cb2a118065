"""Schemathesis against our own OpenAPI schema (/api/schema/), in-process on the WSGI app: whatever the
schema allows (and a good deal it doesn't), with a valid key, the API never answers 5xx."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.tests.factories import AssistantFactory

EXAMPLES = 150  # drawn across every operation; about 7 s


@pytest.fixture
def schema(transactional_db: None, settings) -> schemathesis.schemas.BaseSchema:
    # Real WSGI requests close the database connection when they finish (as in production), which a
    # test wrapped in one transaction cannot survive on PostgreSQL: this test commits for real.
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000  # 429s would hide what the bodies do
    AssistantFactory()
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


def test_it_answers_no_generated_request_with_a_server_error(schema, api_key):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema lists no operation"
    headers = {"Authorization": f"Api-Key {api_key}"}
    server_errors = []
    statuses = set()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(data=st.data())
    def call_every_operation(data: st.DataObject) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        response = case.call(headers=headers)
        statuses.add(response.status_code)
        if response.status_code >= 500:
            server_errors.append((case.method, case.path, case.body, response.status_code, response.text[:300]))

    call_every_operation()
    assert server_errors == []
    assert 200 in statuses, statuses  # the key worked: generated requests reached the assistants
