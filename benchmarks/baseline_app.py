"""The baselines of the lesson-page benchmark: Flask returning fixed bytes of a given size,
and a plain Jinja page of about that size (no database, session, hooks or compression)."""

import os

from flask import Flask, Response, render_template
from jinja2 import DictLoader

app = Flask(__name__)
SIZE = int(os.environ.get("BASELINE_BYTES", "7000"))
BODY = b"x" * SIZE
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ title }}</title>
</head><body><header><a href="{{ url_for('fixed') }}">{{ title }}</a></header><main>
<h1>{{ title }}</h1>{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>{% endfor %}
</main></body></html>"""
TINY = '<!doctype html><html lang="vi"><meta charset="utf-8"><title>x</title><p>Xin chào</p>'
PARAGRAPHS = ["Mật khẩu mạnh có ít nhất mười hai ký tự, không trùng tên hay ngày sinh. " * 2] * (
    SIZE // 190
)


app.jinja_loader = DictLoader({"page.html": PAGE})  # compiled once, as the app's templates are


@app.get("/")
def fixed() -> Response:
    """Return the same bytes every time, as HTML."""
    return Response(BODY, mimetype="text/html")


@app.get("/jinja")
def jinja() -> str:
    """Render a plain template of about the same size: the floor of any templated page."""
    return render_template("page.html", title="Bài học", paragraphs=PARAGRAPHS)


@app.get("/tiny")
def tiny() -> Response:
    """A page of one sentence: the floor of "text visible" under a network emulation."""
    return Response(TINY, mimetype="text/html")
