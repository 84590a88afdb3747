import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    """Each test gets its own, empty private storage directory."""
    directory = tmp_path / "private"
    directory.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(directory), "base_url": None}},
    }
    return directory


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def files_in(directory) -> list:
    return [path for path in directory.rglob("*") if path.is_file()]
