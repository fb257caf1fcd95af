from django.db import migrations


def make_free_tier(apps, schema_editor):
    """Anyone who signs up has the free tier: there is always one."""
    Tier = apps.get_model("members", "Tier")
    if not Tier.objects.filter(is_free=True).exists():
        Tier.objects.create(
            name="Free",
            slug="free",
            description="Sign in to read stories for members, and manage your newsletters in one place.",
            benefits="Stories for members\nYour newsletters in one place",
            is_free=True,
            active=True,
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(make_free_tier, migrations.RunPython.noop)]
