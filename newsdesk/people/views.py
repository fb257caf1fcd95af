from django.shortcuts import render

from newsdesk.articles import listings
from newsdesk.articles.models import paginate


def author_page(request, slug):
    listing = listings.for_author(slug)
    return render(
        request,
        "people/author_page.html",
        {
            "listing": listing,
            "author": listing.subject,
            "articles": paginate(request, listing.articles),
        },
    )
