from tests.counseling.test_timeline import at_noon, history  # noqa: F401  the client with a full record
