"""Learning without a connection: the service worker, the offline page, and the content-only
copies of a course's pages that a phone stores when the learner saves the course."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_login import login_required

from elearn.learn import copies
from elearn.progress import queries

bp = Blueprint("offline", __name__)

ONE_WEEK = 7 * 24 * 3600


def _published_course(slug: str):
    course = queries.course_by_slug(slug)
    if course is None:
        abort(404)
    return course


def _private(response: Response | str, version: str, requested: str | None) -> Response:
    """A copy may be kept by this browser only; a week when its URL names this version."""
    response = current_app.make_response(response)
    fresh = requested == version
    response.headers["Cache-Control"] = (
        f"private, max-age={ONE_WEEK}" if fresh else "private, no-cache"
    )
    response.vary.add("Cookie")
    return response


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker from the site's root, so it may answer for every page."""
    folder = Path(current_app.static_folder or "")
    source = (folder / "sw.js").read_text(encoding="utf-8")
    shell = [url_for("offline.page"), *copies.asset_urls()]
    version = hashlib.sha256("|".join([source, *shell]).encode()).hexdigest()[:12]
    config = {"version": version, "shell": shell, "queue": url_for("static", filename="queue.js")}
    body = f"self.ELEARN = {json.dumps(config)};\n{source}"
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def page():
    """The page shown for a page that is not saved when there is no connection."""
    response = current_app.make_response(render_template("offline/page.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline/manifests/<slug>")
@login_required
def manifest(slug: str):
    """List what saving a course stores: a copy per page (kept under the page's own URL),
    images and assets, with the course's version so an update is noticed."""
    course = _published_course(slug)
    saved = copies.saved_course(course)
    version = copies.copy_version(course)
    pages = [
        {
            "url": url_for("learn.course", slug=slug),
            "copy": url_for("offline.course_copy", slug=slug, v=version),
        }
    ]
    pages += [
        {
            "url": url_for("learn.item", slug=slug, item_slug=item.slug),
            "copy": url_for("offline.item_copy", slug=slug, item_slug=item.slug, v=version),
        }
        for item in saved.items
    ]
    response = jsonify(
        course=slug,
        title=course.title,
        version=version,
        size=copies.saved_size(course),
        pages=pages,
        files=[*copies.asset_urls(), *saved.images],
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/offline/courses/<slug>")
@login_required
def course_copy(slug: str):
    """The course's outline as a saved copy: content only, no progress."""
    course = _published_course(slug)
    html = render_template(
        "offline/course.html", course=course, items=copies.published_items(course)
    )
    return _private(html, copies.copy_version(course), request.args.get("v"))


@bp.get("/offline/courses/<slug>/<item_slug>")
@login_required
def item_copy(slug: str, item_slug: str):
    """A lesson (or a quiz's notice that it needs a connection) as a saved copy."""
    course = _published_course(slug)
    page = copies.copy_page(course, item_slug)
    if page is None:
        abort(404)
    template = "offline/lesson.html" if page.item.kind == "lesson" else "offline/quiz.html"
    html = render_template(template, course=course, page=page)
    return _private(html, copies.copy_version(course), request.args.get("v"))
