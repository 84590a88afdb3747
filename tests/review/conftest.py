from tests.review.test_review_services import call_world  # noqa: F401  (shared fixture)
