from django.core.management.base import BaseCommand

from attachments.storage import PrivateS3Storage, private_bucket_ensure, private_storage


class Command(BaseCommand):
    help = (
        "Create the private storage's S3 bucket if it does not exist (safe to rerun; docker-compose.yml's "
        "migrate step runs it for MinIO). Nothing to do when the private storage is a local directory."
    )

    def handle(self, *args, **options):
        storage = private_storage()
        if not isinstance(storage, PrivateS3Storage):
            self.stdout.write("private storage is a local directory: no bucket to create")
            return
        created = private_bucket_ensure(storage)
        self.stdout.write(f"{'created' if created else 'exists'}: bucket {storage.bucket_name}")
