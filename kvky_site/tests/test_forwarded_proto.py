"""Under gunicorn, only a trusted proxy may say a request came over https (X-Forwarded-Proto)."""

import http.client
from pathlib import Path

from conversations.tests.channels.servers import free_port, running_site


def status_claiming_https(tmp_path: Path, trusted_proxies: str) -> int:
    """The status of a plain-HTTP request from loopback that claims https, with HTTPS redirects on."""
    port = free_port()
    settings = {"TRUSTED_PROXIES": trusted_proxies, "SECURE_SSL_REDIRECT": "true", "SECURE_PROXY_SSL_HEADER": ""}
    with running_site(tmp_path / "site.sqlite3", port, logs=tmp_path, **settings):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/no-existe/", headers={"X-Forwarded-Proto": "https"})
        return connection.getresponse().status


def test_it_redirects_a_client_that_is_not_a_trusted_proxy_but_claims_https(tmp_path):
    assert status_claiming_https(tmp_path, "10.9.9.9") == 301


def test_it_believes_https_from_a_trusted_proxy(tmp_path):
    assert status_claiming_https(tmp_path, "127.0.0.1") == 404
