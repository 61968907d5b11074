"""API tokens: stored as a hash, shown once, expiring, revocable; throttling per client."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from netralitas.accounts.models import ApiClient, ApiScope, ApiToken
from netralitas.accounts.tokens import api_token_create, api_token_revoke
from tests.api_world import auth

LIST = "/api/v1/referrals/"


def test_only_the_hash_is_stored(bkn_client):
    row = ApiToken.objects.get(client=bkn_client)
    assert row.key_hash == hashlib.sha256(bkn_client.token.encode()).hexdigest()
    assert bkn_client.token.startswith("ntr_") and len(bkn_client.token) >= 40
    assert row.prefix == bkn_client.token[:12]
    stored = [str(v) for v in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.concrete_fields]).get()]
    assert not any(bkn_client.token in value for value in stored)


def test_two_tokens_of_one_client_differ(bkn_client):
    _row, other = api_token_create(client=bkn_client)
    assert other != bkn_client.token


def test_a_valid_token_opens_the_api_and_others_do_not(client, bkn_client):
    assert client.get(LIST, **auth(bkn_client)).status_code == 200
    for header in ("", "Bearer", "Bearer ntr_salah", f"Basic {bkn_client.token}", f"Bearer {bkn_client.token} x"):
        response = client.get(LIST, HTTP_AUTHORIZATION=header) if header else client.get(LIST)
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json()["detail"]


def test_an_expired_token_is_refused(client, bkn_client):
    ApiToken.objects.filter(client=bkn_client).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(LIST, **auth(bkn_client))
    assert (response.status_code, response.json()["detail"]) == (401, "Token sudah kedaluwarsa.")


def test_a_revoked_token_is_refused_and_the_client_s_other_tokens_still_work(client, bkn_client):
    _row, other = api_token_create(client=bkn_client, scope=ApiScope.READ)
    api_token_revoke(token=bkn_client.token_row)
    response = client.get(LIST, **auth(bkn_client))
    assert (response.status_code, response.json()["detail"]) == (401, "Token sudah dicabut.")
    assert client.get(LIST, **auth(other)).status_code == 200


def test_a_deactivated_client_is_refused(client, bkn_client):
    ApiClient.objects.filter(pk=bkn_client.pk).update(is_active=False)
    assert client.get(LIST, **auth(bkn_client)).json()["detail"] == "Klien API ini dinonaktifkan."


def test_create_api_token_prints_a_working_token_once(client, bkn_client):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "bkn-sistem", "--write", "--days", "30", stdout=out, stderr=err)
    token = out.getvalue().strip()
    row = ApiToken.objects.get(key_hash=hashlib.sha256(token.encode()).hexdigest())
    assert row.scope == ApiScope.READ_WRITE
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)
    assert "tidak dapat ditampilkan lagi" in err.getvalue()
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    # by name too; a read token by default
    out = StringIO()
    call_command("create_api_token", "Sistem BKN", stdout=out, stderr=StringIO())
    assert ApiToken.objects.get(key_hash=hashlib.sha256(out.getvalue().strip().encode()).hexdigest()).scope == "read"
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("create_api_token", "tidak-ada", stdout=StringIO(), stderr=StringIO())


def test_throttled_per_client_in_indonesian(client, bkn_client, employer_client):
    from django.core.cache import cache

    cache.clear()
    ApiClient.objects.filter(pk=bkn_client.pk).update(throttle_rate="2/min")
    assert [client.get(LIST, **auth(bkn_client)).status_code for _ in range(2)] == [200, 200]
    refused = client.get(LIST, **auth(bkn_client))
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Terlalu banyak permintaan. Coba lagi dalam")
    assert int(refused["Retry-After"]) > 0
    # another token of the same client counts against the same budget; another client does not
    _row, other = api_token_create(client=bkn_client)
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 429
    assert client.get(LIST, **auth(employer_client)).status_code == 200
    cache.clear()


def test_the_throttle_counts_in_the_shared_default_cache(client, bkn_client):
    """The count lives in Django's "default" cache (Redis in production: every web process reads the same
    count), not in the process: emptied there, the client may ask again."""
    from django.core.cache import caches

    caches["default"].clear()
    ApiClient.objects.filter(pk=bkn_client.pk).update(throttle_rate="2/min")
    assert [client.get(LIST, **auth(bkn_client)).status_code for _ in range(3)] == [200, 200, 429]
    assert len(caches["default"].get(f"throttle_api_client_{bkn_client.pk}")) == 2
    caches["default"].clear()
    assert client.get(LIST, **auth(bkn_client)).status_code == 200
    caches["default"].clear()


def test_admin_actions_make_and_revoke_tokens(client, bkn_client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@uji.test", "kata-sandi-uji-123")
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/apiclient/",
        {"action": "make_token_read", "_selected_action": [bkn_client.pk]},
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"]]
    token = message.rsplit(" ", 1)[-1]
    assert ApiToken.objects.filter(key_hash=hashlib.sha256(token.encode()).hexdigest(), scope="read").exists()
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [bkn_client.token_row.pk]},
        follow=True,
    )
    bkn_client.token_row.refresh_from_db()
    assert bkn_client.token_row.revoked_at is not None
