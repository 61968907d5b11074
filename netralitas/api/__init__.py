"""The REST API's plumbing, shared by every endpoint: token authentication per client, throttling per client,
the request log, errors as JSON in Indonesian, ETags, keyset pagination and Idempotency-Key. The endpoints
themselves live with their data (``cases/api/``)."""
