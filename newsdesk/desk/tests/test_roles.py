"""The newsroom's roles, as the migration makes them: who may publish, who may only write."""

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.tests.test_admin import article_form
from newsdesk.desk import roles

pytestmark = pytest.mark.django_db


def member_of(client, role):
    user = User.objects.create_user(role.lower().replace(" ", "-"), password="pw")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def page_permissions(role):
    return set(
        GroupPagePermission.objects.filter(group__name=role).values_list(
            "permission__codename", flat=True
        )
    )


def test_the_migration_made_the_four_roles(base_site):
    assert page_permissions(roles.REPORTER) == {"add_page", "change_page"}
    assert "publish_page" in page_permissions(roles.EDITOR)
    assert page_permissions(roles.NEWSLETTER_EDITOR) == set()
    newsletter_editor = Group.objects.get(name=roles.NEWSLETTER_EDITOR)
    assert newsletter_editor.permissions.filter(codename="send_issue").exists()
    assert not newsletter_editor.permissions.filter(codename="publish_newsitem").exists()
    editor = Group.objects.get(name=roles.EDITOR)
    assert editor.permissions.filter(codename="publish_newsitem").exists()
    assert editor.permissions.filter(codename="change_editorspicks").exists()
    assert GroupCollectionPermission.objects.filter(
        group=editor, permission__codename="add_image"
    ).exists()
    administrators = Group.objects.get(name=roles.ADMINISTRATOR)
    assert administrators.permissions.count() == Permission.objects.count()


def test_making_the_roles_again_changes_nothing_and_undoing_removes_them(base_site):
    def snapshot():
        return (
            sorted(Group.objects.values_list("name", "permissions__codename")),
            GroupPagePermission.objects.count(),
            GroupCollectionPermission.objects.count(),
            Permission.objects.count(),
        )

    before = snapshot()
    roles.make_roles(global_apps)
    assert snapshot() == before
    roles.remove_roles(global_apps)
    assert not Group.objects.filter(name__in=[*roles.ROLES, roles.ADMINISTRATOR]).exists()
    roles.make_roles(global_apps)
    assert snapshot() == before


def test_a_reporter_writes_a_draft_but_cannot_publish_it(client, newsroom, publish_article):
    member_of(client, roles.REPORTER)
    article = publish_article("Reporter's draft", published=False)
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    editor_page = client.get(edit_url).content.decode()
    assert client.get(edit_url).status_code == 200
    assert 'name="action-publish"' not in editor_page
    response = client.post(
        edit_url, article_form(newsroom, slug=article.slug, **{"action-publish": "publish"})
    )
    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert not article.live
    # The draft was saved, without being published.
    assert article.get_latest_revision().content["title"] == "Tram line 4 reopens"
    assert not article.get_latest_revision().approved_go_live_at


def test_an_editor_publishes(client, newsroom, publish_article):
    member_of(client, roles.EDITOR)
    article = publish_article("Editor's draft", published=False)
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    assert 'name="action-publish"' in client.get(edit_url).content.decode()
    response = client.post(
        edit_url, article_form(newsroom, slug=article.slug, **{"action-publish": "publish"})
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).live


def test_a_newsletter_editor_reaches_issues_but_not_the_page_editor(
    client, newsroom, publish_article
):
    member_of(client, roles.NEWSLETTER_EDITOR)
    article = publish_article()
    assert client.get(reverse("wagtailsnippets_newsletters_issue:list")).status_code == 200
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    assert edit.status_code in (302, 403)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="panel-todays-sends"' in dashboard
    assert 'id="panel-new-story"' not in dashboard and 'id="panel-post-to-feed"' not in dashboard
