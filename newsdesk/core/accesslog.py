"""gunicorn's access log, naming the reader rather than the proxy in front of the app."""

from gunicorn.glogging import Logger

from newsdesk.core.clientaddress import client_address


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = client_address(environ) or "-"
        return atoms
