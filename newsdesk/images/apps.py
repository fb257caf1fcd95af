from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "newsdesk.images"
    label = "images"
    verbose_name = "Image library"

    def ready(self):
        from newsdesk.core.renewal import pages_linking, renews, tags_showing
        from newsdesk.images.models import NewsImage

        # A page's pictures show wherever the page does (story cards, picks), and
        # the focal point crops every rendition.
        renews(
            NewsImage,
            lambda image: set().union(*(tags_showing(page) for page in pages_linking(image))),
        )
