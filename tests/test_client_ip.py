"""The client's address behind reverse proxies, for sign-in throttling."""

from django.test import RequestFactory

from netralitas.clientip import client_ip


def request(remote="10.0.0.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="1.2.3.4")) == "10.0.0.9"


def test_behind_one_proxy_the_last_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # the client forged "6.6.6.6"; the proxy appended the address it really saw
    assert client_ip(request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="6.6.6.6, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


def test_a_short_header_falls_back_to_the_socket_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="203.0.113.7")) == "10.0.0.9"


def test_lockout_counts_the_forwarded_client_not_the_proxy(client, pengawas, koordinator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/akun/masuk/", {"username": "pengawas", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    # the same account from another client behind the same proxy is not locked out
    response = client.post(
        "/akun/masuk/", {"username": "pengawas", "password": "kata-sandi-uji-123"}, HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert response.status_code == 302
