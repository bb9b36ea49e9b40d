"""The baseline for the lesson-page benchmark: Flask returning fixed bytes of a given size."""

import os

from flask import Flask, Response

app = Flask(__name__)
BODY = b"x" * int(os.environ.get("BASELINE_BYTES", "7000"))


@app.get("/")
def fixed() -> Response:
    """Return the same bytes every time, as HTML."""
    return Response(BODY, mimetype="text/html")
