"""Views: see applications/views/__init__.py."""

urlpatterns: list = []
