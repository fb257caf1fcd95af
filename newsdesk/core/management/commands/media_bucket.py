import json

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.storage import MediaStorage, bucket_policy


class Command(BaseCommand):
    help = (
        "Print the bucket policy media in object storage need (NEWSDESK_S3_URL): anyone may "
        "read pictures, nothing else. With --apply, create the bucket if it is missing and set it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Create the bucket if needed and set the policy."
        )

    def handle(self, *args, apply=False, **options):
        storage = storages["default"]
        if not isinstance(storage, MediaStorage):
            raise CommandError("Media are on the local disk: set NEWSDESK_S3_URL first.")
        policy = bucket_policy(storage.bucket_name)
        if not apply:
            self.stdout.write(json.dumps(policy, indent=2))
            return
        client = storage.connection.meta.client
        try:
            if not self._exists(client, storage.bucket_name):
                client.create_bucket(**self._location(storage))
            client.put_bucket_policy(Bucket=storage.bucket_name, Policy=json.dumps(policy))
        except (BotoCoreError, ClientError) as error:
            raise CommandError(
                f"The bucket {storage.bucket_name} could not be set up: {error}"
            ) from error
        self.stdout.write(
            f"Bucket {storage.bucket_name}: pictures public, everything else private."
        )

    @staticmethod
    def _exists(client, bucket):
        try:
            client.head_bucket(Bucket=bucket)
        except ClientError as error:
            if error.response["Error"]["Code"] in {"404", "NoSuchBucket"}:
                return False
            raise
        return True

    @staticmethod
    def _location(storage):
        arguments = {"Bucket": storage.bucket_name}
        if storage.region_name and storage.region_name != "us-east-1":
            arguments["CreateBucketConfiguration"] = {"LocationConstraint": storage.region_name}
        return arguments
