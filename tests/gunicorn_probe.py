"""A WSGI app for tests/test_gunicorn.py: answers with the scheme the server handed it."""


def app(environ, start_response):
    body = environ["wsgi.url_scheme"].encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
