"""The client's address behind trusted proxies: X-Forwarded-For is read from the right, through trusted hops only."""

import pytest
from django.test import RequestFactory

from kvky_site.client_address import client_address, login_client_address

INGRESS = "10.42.0.7"
VISITOR = "203.0.113.5"


@pytest.fixture
def behind_the_ingress(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def address_of(remote: str, forwarded_for: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_it_ignores_a_forwarded_for_header_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of(VISITOR, "198.51.100.1") == VISITOR


def test_it_ignores_a_forwarded_for_header_from_a_peer_that_is_not_a_trusted_proxy(behind_the_ingress):
    assert address_of(VISITOR, "198.51.100.1") == VISITOR


def test_it_takes_the_address_the_trusted_proxy_saw(behind_the_ingress):
    assert address_of(INGRESS, VISITOR) == VISITOR


def test_it_ignores_addresses_the_client_prepends(behind_the_ingress):
    assert address_of(INGRESS, f"198.51.100.1, 10.0.0.1, {VISITOR}") == VISITOR


def test_it_walks_through_every_trusted_hop(behind_the_ingress):
    assert address_of(INGRESS, f"{VISITOR}, 10.1.1.1,10.2.2.2") == VISITOR


def test_it_answers_the_last_trusted_hop_when_every_hop_is_trusted(behind_the_ingress):
    assert address_of(INGRESS, "10.1.1.1") == "10.1.1.1"


def test_it_stops_at_a_forwarded_entry_that_is_not_an_address(behind_the_ingress):
    assert address_of(INGRESS, f"{VISITOR}, unknown") == INGRESS


def test_it_ignores_malformed_trusted_proxies_entries(settings):
    settings.TRUSTED_PROXIES = ["*", "no-es-una-red", "10.0.0.0/33", " 10.0.0.0/8 "]
    assert address_of(INGRESS, VISITOR) == VISITOR
    assert address_of(VISITOR, "198.51.100.1") == VISITOR


def test_it_accepts_a_network_written_with_host_bits(settings):
    settings.TRUSTED_PROXIES = ["10.42.0.1/16"]
    assert address_of(INGRESS, VISITOR) == VISITOR


def test_it_reads_an_ipv4_peer_of_a_dual_stack_socket_as_ipv4(behind_the_ingress):
    assert address_of(f"::ffff:{INGRESS}", VISITOR) == VISITOR


def test_it_trusts_ipv6_proxies(settings):
    settings.TRUSTED_PROXIES = ["fd00::/8"]
    assert address_of("fd00::7", "2001:db8::5") == "2001:db8::5"


def test_it_answers_unknown_without_a_remote_address(behind_the_ingress):
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="")) == "unknown"


def test_it_gives_axes_no_address_when_the_request_names_none(rf):
    request = rf.get("/admin/login/")
    del request.META["REMOTE_ADDR"]

    assert login_client_address(request) is None
