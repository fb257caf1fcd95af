from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "newsdesk.images"
    label = "images"
    verbose_name = "Image library"

    def ready(self):
        from django.db.models.signals import post_save

        from newsdesk.core.renewal import pages_linking, renews, tags_showing
        from newsdesk.images import pictures, tasks
        from newsdesk.images.models import NewsImage

        # A page's pictures show wherever the page does (story cards, picks), and
        # the focal point crops every rendition.
        renews(
            NewsImage,
            lambda image: set().union(*(tags_showing(page) for page in pages_linking(image))),
        )
        post_save.connect(tasks.picture_saved, sender=NewsImage, dispatch_uid="images_renditions")
        # images/figure.html: a story's lead picture, as wide as its column and at most
        # 2000 px for 2x screens, and the pictures of its body, at the text's measure.
        pictures.offer(
            "lead figure", "format-{webp,jpeg} fill-{480x270,800x450,1200x675,1600x900,2000x1125}"
        )
        pictures.offer("figure", "format-{webp,jpeg} fill-{480x270,800x450,1200x675,1600x900}")
