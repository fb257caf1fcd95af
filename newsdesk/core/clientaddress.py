"""The address of the reader at the other end of a request, as far as it can be known.

Behind a reverse proxy (the shipped nginx, a CDN, a load balancer) every
request comes from the proxy, and only the proxy knows the reader's address,
which it appends to X-Forwarded-For. Anyone can send that header, so it is
believed only as far as it was written by proxies in NEWSDESK_TRUSTED_PROXIES:
read from the right, the first address that is not a trusted proxy's is the
client. Rate limits, consent records and the access log all ask this module.
"""

import ipaddress

from django.conf import settings

# A longer chain than any real deployment's; the rest of a long header is never read.
MAX_HOPS = 20


def _parse(value):
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    # An IPv4 reader reached over an IPv6 socket is the same reader.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address):
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(meta):
    """The client's IP address as a string, or None; meta is request.META or a WSGI environ."""
    address = _parse(meta.get("REMOTE_ADDR"))
    if address is None:
        return None
    if _trusted(address):
        hops = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-MAX_HOPS:]
        for hop in reversed(hops):
            forwarded = _parse(hop)
            # Garbage is what a client wrote, not a proxy: the last proxy's peer is all we know.
            if forwarded is None:
                break
            address = forwarded
            if not _trusted(forwarded):
                break
    return str(address)


def from_trusted_proxy(meta):
    """Whether the request came straight from a proxy in NEWSDESK_TRUSTED_PROXIES (its headers are believed)."""
    address = _parse(meta.get("REMOTE_ADDR"))
    return address is not None and _trusted(address)
