import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/snippets/people/contributor/"


def test_editors_manage_people_and_desks_in_the_admin(client, newsroom):
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw"))
    html = client.get(LIST_URL).content.decode()
    assert "Ira Test" in html and "News desk" in html


def test_the_people_admin_is_staff_only(client, newsroom):
    response = client.get(LIST_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(User.objects.create_user("reader", "reader@example.org", "pw"))
    response = client.get(LIST_URL)
    assert response.status_code in (302, 403)
    assert "Ira Test" not in response.content.decode()
