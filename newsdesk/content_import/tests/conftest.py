import http.server
import threading

import pytest

from newsdesk.content_import.tests.ghost_exports import jpeg


@pytest.fixture
def old_site():
    """The old site on loopback: ok.jpg, and any picture under /wp-content/uploads/ or
    /public/images/ but gone.jpg, is a JPEG; note.jpg is text; moved.jpg and inside.jpg
    redirect to ok.jpg (on 127.0.0.1, on localhost); the rest is 404."""
    picture = jpeg()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?")[0]
            if path.endswith("/note.jpg"):
                body, kind = b"not a picture", "image/jpeg"
            elif path.endswith(("/moved.jpg", "/inside.jpg")):
                port = self.server.server_address[1]
                host = "127.0.0.1" if path.endswith("/moved.jpg") else "localhost"
                self.send_response(302)
                self.send_header("Location", f"http://{host}:{port}/content/images/ok.jpg")
                self.end_headers()
                return
            elif path.endswith("/ok.jpg") or (
                # WordPress's uploads and Substack's, all there but gone.jpg
                path.startswith(("/wp-content/uploads/", "/public/images/"))
                and not path.endswith("/gone.jpg")
            ):
                body, kind = picture, "image/jpeg"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
