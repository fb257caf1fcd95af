from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "newsdesk.members"
    label = "members"
    verbose_name = "Members"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from newsdesk.core import access as core_access
        from newsdesk.core import bundles, periodic, slots
        from newsdesk.core.pagecache import cache_view, page_tag, purge_paths, reader_cookie
        from newsdesk.core.renewal import renews
        from newsdesk.members import (
            access,
            accounts,
            audiences,
            billing,  # noqa: F401 (registers its Stripe event handlers)
            imports,
            sessions,
        )
        from newsdesk.members.models import NewsletterAccess, StoryAccess, Tier
        from newsdesk.newsletters import audience as newsletter_audience
        from newsdesk.newsletters.imports import importer

        core_access.gate(access.gate)
        core_access.gated_by(lambda page: page.pk in access.gated_stories())
        newsletter_audience.restrict(audiences.newsletter_audiences)
        importer.on_import(imports.import_ghost_members)
        reader_cookie(sessions.MEMBER_COOKIE)
        # The same "Account" link in every kept page: /account/ knows who asks.
        slots.fill("account", "members/includes/account_link.html")
        bundles.STYLESHEET.add("members/members.css")
        slots.fill("footer_links", "members/includes/footer_link.html")
        cache_view("membership", lambda kwargs: ["membership"])
        purge_paths("membership", lambda value: ["/membership/"])
        periodic.register("lapse_memberships", accounts.lapse_ended_memberships)
        periodic.register("clear_expired_sessions", sessions.clear_expired)
        for model in (StoryAccess, Tier):
            post_save.connect(access.forget_gated_stories, sender=model)
            post_delete.connect(access.forget_gated_stories, sender=model)
        m2m_changed.connect(access.forget_gated_stories, sender=StoryAccess.tiers.through)
        for model in (NewsletterAccess, Tier):
            post_save.connect(audiences.forget_newsletter_audiences, sender=model)
            post_delete.connect(audiences.forget_newsletter_audiences, sender=model)
        m2m_changed.connect(
            audiences.forget_newsletter_audiences, sender=NewsletterAccess.tiers.through
        )
        # A story gated or opened shows another page, and other words in the feeds
        # (full text) and search snippets; a tier's name is in the box of its stories.
        renews(StoryAccess, lambda rule: {page_tag(rule.page), "feeds", "search"})
        # A newsletter for members leaves the subscribe forms and says so on /newsletters/.
        renews(NewsletterAccess, lambda rule: {"newsletters"})
        renews(
            Tier,
            lambda tier: (
                {
                    f"page:{page_id}"
                    for page_id in StoryAccess.objects.filter(tiers=tier).values_list(
                        "page_id", flat=True
                    )
                }
                | {"membership"}
            ),
        )
