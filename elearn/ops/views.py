"""/metrics for Prometheus: only with the metrics token or from the configured addresses."""

from __future__ import annotations

import ipaddress
import secrets

from flask import Blueprint, Response, abort, current_app, request

from elearn import metrics
from elearn.web import bearer_token

bp = Blueprint("ops", __name__)


def metrics_allowed(address: str | None, authorization: str, config) -> bool:
    """Whether a caller may read the metrics: the right token, or an allowed address."""
    token = config.get("METRICS_TOKEN")
    sent = bearer_token(authorization)
    if token and sent and secrets.compare_digest(sent.encode(), str(token).encode()):
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in config["METRICS_NETWORKS"])


@bp.get("/metrics")
def metrics_page():
    """The Prometheus figures; anyone else gets the plain 404 of a page that does not exist."""
    if not metrics_allowed(
        request.remote_addr, request.headers.get("Authorization", ""), current_app.config
    ):
        abort(404)
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})
