from django.db import migrations

from newsdesk.desk.roles import make_roles, remove_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("feed", "0001_initial"),
        ("curation", "0001_initial"),
        ("people", "0001_initial"),
        ("narration", "0003_narration_heartbeat"),
        ("newsletters", "0005_private_import_files"),
        ("home", "0003_homefeaturedstory"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
