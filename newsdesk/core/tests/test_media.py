import pytest

pytestmark = pytest.mark.django_db

CONTENT = bytes(range(256)) * 4  # 1,024 bytes


@pytest.fixture
def media_file(settings):
    folder = settings.MEDIA_ROOT / "narration"
    folder.mkdir(parents=True)
    (folder / "story.mp3").write_bytes(CONTENT)
    return "/media/narration/story.mp3"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_whole_files_say_they_accept_ranges(client, media_file):
    response = client.get(media_file)
    assert response.status_code == 200 and body(response) == CONTENT
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    "header, start, end",
    [
        ("bytes=2-5", 2, 5),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-24", 1000, 1023),
        ("bytes=10-99999", 10, 1023),
    ],
)
def test_a_byte_range_gets_just_those_bytes(client, media_file, header, start, end):
    response = client.get(media_file, headers={"Range": header})
    assert response.status_code == 206
    assert body(response) == CONTENT[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/1024"
    assert response["Content-Length"] == str(end - start + 1)


def test_a_range_past_the_end_is_refused(client, media_file):
    response = client.get(media_file, headers={"Range": "bytes=5000-"})
    assert response.status_code == 416 and response["Content-Range"] == "bytes */1024"


@pytest.mark.parametrize(
    "header",
    ["bytes=-", "items=0-5", "bytes=5-2", "bytes=5-2,7-9", "bytes=abc", f"bytes=0-{'9' * 5000}"],
)
def test_a_range_header_it_does_not_understand_gets_the_whole_file(client, media_file, header):
    response = client.get(media_file, headers={"Range": header})
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_missing_media_is_a_404(client, media_file):
    assert client.get("/media/narration/none.mp3").status_code == 404


@pytest.mark.parametrize(
    "folder",
    ["documents", "/documents", "./documents", "narration/../documents", "%64ocuments"],
)
def test_no_document_is_served_from_the_media_folder(media_storage, client, documents, folder):
    for document in documents:
        assert document.file.storage.exists(document.file.name)  # it is there, on the disk
        name = document.file.name.removeprefix("documents/")
        response = client.get(f"/media/{folder}/{name}")
        assert response.status_code == 404 and b"%PDF" not in body(response)


def test_a_restricted_document_asks_for_sign_in_and_is_served_to_a_signed_in_user(
    media_storage, client, documents
):
    from django.contrib.auth.models import User

    _, restricted = documents
    response = client.get(restricted.url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(User.objects.create_user("reader", "reader@example.org", "pw"))
    response = client.get(restricted.url)
    assert response.status_code == 200 and body(response) == b"%PDF restricted"


def test_public_documents_are_served_to_everyone(media_storage, client, documents):
    public, _ = documents
    assert public.url.startswith("/documents/")
    response = client.get(public.url)
    assert response.status_code == 200 and body(response) == b"%PDF public"
