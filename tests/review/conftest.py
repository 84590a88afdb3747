from tests.review.test_review_services import call_world, private_storage  # noqa: F401  (shared fixtures)
