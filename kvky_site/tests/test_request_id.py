"""X-Request-ID: made when absent, passed through when sane, replaced when not."""

from kvky_site.request_id import REQUEST_ID_HEADER, current_request_id


def test_it_gives_every_response_a_request_id(client):
    response = client.get("/healthz")
    assert len(response[REQUEST_ID_HEADER]) == 32


def test_it_gives_two_requests_different_ids(client):
    assert client.get("/healthz")[REQUEST_ID_HEADER] != client.get("/healthz")[REQUEST_ID_HEADER]


def test_it_propagates_the_callers_request_id(client):
    response = client.get("/healthz", headers={REQUEST_ID_HEADER: "ingress-7f3a:42"})
    assert response[REQUEST_ID_HEADER] == "ingress-7f3a:42"


def test_it_replaces_a_request_id_that_could_forge_log_lines(client):
    response = client.get("/healthz", headers={REQUEST_ID_HEADER: 'x" "level": "ERROR'})
    assert response[REQUEST_ID_HEADER] != 'x" "level": "ERROR'
    assert len(response[REQUEST_ID_HEADER]) == 32


def test_it_forgets_the_request_id_once_the_response_is_out(client):
    client.get("/healthz", headers={REQUEST_ID_HEADER: "req-1"})
    assert current_request_id() == ""
