from django.shortcuts import render

from newsdesk.articles import listings
from newsdesk.articles.models import paginate


def tag_page(request, slug):
    listing = listings.for_tag(slug)
    return render(
        request,
        "articles/listing_page.html",
        {"listing": listing, "articles": paginate(request, listing.articles)},
    )


def author_page(request, slug):
    listing = listings.for_author(slug)
    return render(
        request,
        "articles/author_page.html",
        {
            "listing": listing,
            "author": listing.subject,
            "articles": paginate(request, listing.articles),
        },
    )
