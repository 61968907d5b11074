"""The contract: the OpenAPI document and its Swagger UI (assets served here, no CDN), and schemathesis
generating requests for every operation from it, with a valid token, against the WSGI app in process: no
request may end in a server error."""

import gc

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from netralitas.wsgi import application
from tests.api_world import add_evidence, sent_referrals

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests sent straight to the WSGI app would close the database connection when they finish (as a
    server does) and with it the test's transaction; Django's own test client avoids it the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_schema_is_openapi_3_and_names_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/referrals/",
        "/api/v1/referrals/export.csv",
        "/api/v1/referrals/export.xlsx",
        "/api/v1/referrals/{code}/",
        "/api/v1/referrals/{code}/evidence/{evidence_code}/",
        "/api/v1/referrals/{code}/documents/{document_code}/",
        "/api/v1/referrals/{code}/recommendation/",
        "/api/v1/referrals/{code}/ppk-decision/",
    }
    assert schema["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Token klien API: 'Authorization: Bearer ntr_…'.",
    }
    # no writable status anywhere: state changes are the two POST actions
    for name in ("RecommendationInputRequest", "PpkDecisionInputRequest"):
        assert "status" not in schema["components"]["schemas"][name]["properties"]


def test_swagger_ui_loads_its_assets_from_this_site(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    asset = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert b"SwaggerUI" in b"".join(asset.streaming_content)
    asset.close()


# The in-process transport leaves streamed files (evidence, exports) to the garbage collector rather than
# closing them; the server closes them (Django's response.close()). Collected at the end of this test.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error(
    wsgi_in_test_transaction, offices, pengawas, koordinator, regions, institutions, bkn_client, mode
):
    """Generated requests for every operation, each sent twice: as generated (random codes: mostly 404) and
    aimed at a real referral of the client (so the validation and the stage rules are reached). Positive
    data follow the schema; negative data break it on purpose (wrong types, out-of-range dates and numbers,
    missing fields, unknown values), which must end in a 4xx, never a 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.demo import png_bytes
    from cases.evidence.services import document_add

    referrals = sent_referrals(offices, pengawas, koordinator, regions, institutions.bkn, n=3)
    evidence = add_evidence(referrals[0].case, content=png_bytes((1, 1, 1)))
    minutes = document_add(
        case=referrals[0].case,
        actor=pengawas,
        kind="ba_pleno",
        dated=referrals[0].letter_date,
        upload=SimpleUploadedFile("ba.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    real = {"code": str(referrals[0].code), "evidence_code": str(evidence.code), "document_code": str(minutes.code)}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_in_test_transaction)
    headers = {"Authorization": f"Bearer {bkn_client.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    calls = 0

    for operation in operations:

        @hypothesis.settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            nonlocal calls
            for aim in (False, True):
                if aim and case.path_parameters:
                    case.path_parameters = {**case.path_parameters, **{k: real[k] for k in case.path_parameters}}
                response = case.call(headers={**(case.headers or {}), **headers})
                case.validate_response(response, checks=[not_a_server_error])
                calls += 1

        check()
    assert calls >= 7 * 2
    gc.collect()
