"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand beside the views it describes; tests run schemathesis against it, so a view
that answers something this document does not say fails the suite.
"""

from __future__ import annotations

from typing import Any

from elearn.progress.status import VIA_LESSONS, VIA_TEST_OUT, Status

VERSION = "1.0.0"
MAX_PER_PAGE = 500  # rows of /reports/officials per page
NO_NUL = "^[^\\u0000]*$"  # text parameters may hold anything but a NUL byte (a 400)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_VIA = {
    "enum": [VIA_LESSONS, VIA_TEST_OUT, None],
    "description": "How the course was completed: every lesson and quiz, or the final quiz "
    "passed before the lessons (test out, shown as “hoàn thành qua bài kiểm tra đầu vào”); "
    "null while not completed.",
}
_COUNTS = {
    "officials": {"type": "integer", "minimum": 0},
    "completed": {"type": "integer", "minimum": 0},
    "in_progress": {"type": "integer", "minimum": 0},
    "not_started": {"type": "integer", "minimum": 0},
    "completion_rate": {"type": "number", "minimum": 0, "maximum": 1},
}
_UNIT_PARAM = {
    "name": "unit",
    "in": "query",
    "required": False,
    "description": "A unit code in the caller's subtree; default: the caller's own unit.",
    "schema": {"type": "string", "maxLength": 20, "pattern": NO_NUL},
}
_COURSE_PARAM = {
    "name": "course",
    "in": "query",
    "required": True,
    "description": "The course id (its slug), as in /reports/courses.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": NO_NUL},
}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {
        400: "A parameter is missing or wrong.",
        401: "No valid session or token.",
        403: "The caller's role, or the unit, is outside what the caller may see.",
        404: "No such unit or course.",
        405: "The method is not allowed here; `Allow` lists the ones that are.",
        503: "The database cannot answer now; try again after `Retry-After` seconds.",
    }
    responses: dict[str, Any] = {}
    for code in codes:
        response = _json(_ref("Error"), texts[code])
        if code == 401:
            response["headers"] = {
                "WWW-Authenticate": {"schema": {"type": "string", "pattern": "^Bearer"}}
            }
        if code == 405:
            response["headers"] = {"Allow": {"required": True, "schema": {"type": "string"}}}
        if code == 503:
            response["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
        responses[str(code)] = response
    return responses


def _operation(summary: str, ok: dict[str, Any], params: list, *errors: int) -> dict[str, Any]:
    return {
        "summary": summary,
        "parameters": params,
        "responses": {"200": ok, **_errors(401, 405, 503, *errors)},
    }


_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}},
    },
    "Unit": {
        "type": "object",
        "required": ["code", "name", "kind"],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string"},
        },
    },
    "CourseRef": {
        "type": "object",
        "required": ["id", "title"],
        "properties": {"id": {"type": "string"}, "title": {"type": "string"}},
    },
    "Counts": {"type": "object", "required": list(_COUNTS), "properties": _COUNTS},
    "MyProgress": {
        "type": "object",
        "required": ["user", "courses"],
        "properties": {
            "user": {
                "type": "object",
                "required": ["username", "full_name"],
                "properties": {"username": {"type": "string"}, "full_name": {"type": "string"}},
            },
            "courses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["course", "status", "items_total", "items_done"],
                    "properties": {
                        "course": {
                            "type": "object",
                            "required": ["id", "title", "required", "version"],
                            "properties": {
                                "id": {"type": "string"},
                                "title": {"type": "string"},
                                "required": {"type": "boolean"},
                                "version": {"type": "integer"},
                            },
                        },
                        "status": {"enum": [s.value for s in Status]},
                        "items_total": {"type": "integer", "minimum": 0},
                        "items_done": {"type": "integer", "minimum": 0},
                        "lessons_total": {"type": "integer", "minimum": 0},
                        "lessons_done": {"type": "integer", "minimum": 0},
                        "completed_at": _NULLABLE_TIME,
                        "completed_via": _VIA,
                        "best_score": {"type": ["number", "null"]},
                        "certificate_code": {"type": ["string", "null"]},
                        "last_activity": _NULLABLE_TIME,
                    },
                },
            },
        },
    },
    "CourseReport": {
        "type": "object",
        "required": ["unit", "as_of", "courses"],
        "properties": {
            "unit": _ref("Unit"),
            "as_of": _TIME,
            "courses": {
                "type": "array",
                "items": {
                    "allOf": [
                        _ref("Counts"),
                        {
                            "type": "object",
                            "required": ["course"],
                            "properties": {
                                "course": {
                                    "type": "object",
                                    "required": ["id", "title", "required"],
                                    "properties": {
                                        "id": {"type": "string"},
                                        "title": {"type": "string"},
                                        "required": {"type": "boolean"},
                                    },
                                }
                            },
                        },
                    ]
                },
            },
        },
    },
    "CompletionReport": {
        "type": "object",
        "required": ["unit", "course", "as_of", "totals", "children"],
        "properties": {
            "unit": _ref("Unit"),
            "course": _ref("CourseRef"),
            "as_of": _TIME,
            "totals": _ref("Counts"),
            "children": {
                "type": "array",
                "items": {
                    "allOf": [
                        _ref("Counts"),
                        {
                            "type": "object",
                            "required": ["unit"],
                            "properties": {"unit": _ref("Unit")},
                        },
                    ]
                },
            },
        },
    },
    "OfficialsReport": {
        "type": "object",
        "required": ["unit", "course", "as_of", "page", "per_page", "total", "officials"],
        "properties": {
            "unit": _ref("Unit"),
            "course": _ref("CourseRef"),
            "as_of": _TIME,
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "officials": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["username", "full_name", "unit", "status"],
                    "properties": {
                        "username": {"type": "string"},
                        "full_name": {"type": "string"},
                        "unit": {
                            "type": "object",
                            "required": ["code", "name"],
                            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                        },
                        "status": {"enum": [s.value for s in Status]},
                        "completed_at": _NULLABLE_TIME,
                        "completed_via": _VIA,
                        "best_score": {"type": ["number", "null"]},
                        "last_activity": _NULLABLE_TIME,
                    },
                },
            },
        },
    },
    "Passport": {
        "type": "object",
        "description": "A domain is covered once the person completed at least one published "
        "course tagged with it.",
        "required": ["covered", "total", "domains", "next_course"],
        "properties": {
            "covered": {"type": "integer", "minimum": 0},
            "total": {"type": "integer", "minimum": 0},
            "domains": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "covered", "courses_done", "suggestion"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "covered": {"type": "boolean"},
                        "courses_done": {"type": "array", "items": {"type": "string"}},
                        "suggestion": {
                            "type": ["string", "null"],
                            "description": "A course id to take to cover it (null if covered).",
                        },
                    },
                },
            },
            "next_course": {
                "type": ["string", "null"],
                "description": "The course id to take next: it covers uncovered domains.",
            },
        },
    },
    "MyPassport": {
        "allOf": [
            _ref("Passport"),
            {
                "type": "object",
                "required": ["user"],
                "properties": {
                    "user": {
                        "type": "object",
                        "required": ["username", "full_name"],
                        "properties": {
                            "username": {"type": "string"},
                            "full_name": {"type": "string"},
                        },
                    }
                },
            },
        ]
    },
    "DomainShare": {
        "type": "object",
        "required": ["id", "name", "officials", "covered", "rate"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "officials": {"type": "integer", "minimum": 0},
            "covered": {"type": "integer", "minimum": 0},
            "rate": {"type": "number", "minimum": 0, "maximum": 1},
        },
    },
    "DomainReport": {
        "type": "object",
        "required": ["unit", "as_of", "officials", "domains", "children"],
        "properties": {
            "unit": _ref("Unit"),
            "as_of": _TIME,
            "officials": {"type": "integer", "minimum": 0},
            "domains": {"type": "array", "items": _ref("DomainShare")},
            "children": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["unit", "officials", "domains"],
                    "properties": {
                        "unit": _ref("Unit"),
                        "officials": {"type": "integer", "minimum": 0},
                        "domains": {"type": "array", "items": _ref("DomainShare")},
                    },
                },
            },
        },
    },
    "EventsSender": {
        "type": "object",
        "required": ["account", "csrf_token", "max_events"],
        "properties": {
            "account": {"type": "string"},
            "csrf_token": {"type": "string"},
            "max_events": {"type": "integer", "minimum": 1},
        },
    },
    "Event": {
        "type": "object",
        "required": ["id", "type", "course", "item", "at"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
            "type": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": NO_NUL},
            "course": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": NO_NUL},
            "item": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": NO_NUL},
            "at": {"type": "string", "format": "date-time", "maxLength": 40},
            "account": {"type": "string", "maxLength": 100, "pattern": NO_NUL},
        },
    },
    "EventResults": {
        "type": "object",
        "required": ["results"],
        "properties": {
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "status"],
                    "properties": {
                        "id": {"type": "string"},
                        "status": {"enum": ["applied", "duplicate", "refused"]},
                        "reason": {"type": "string"},
                        "recorded_at": _TIME,
                    },
                },
            }
        },
    },
    "OfficialRecord": {
        "type": "object",
        "required": ["official", "as_of", "courses", "passport"],
        "properties": {
            "passport": _ref("Passport"),
            "official": {
                "type": "object",
                "required": ["username", "full_name", "unit", "active"],
                "properties": {
                    "username": {"type": "string"},
                    "full_name": {"type": "string"},
                    "unit": _ref("Unit"),
                    "category": {"type": ["string", "null"]},
                    "position": {"type": ["string", "null"]},
                    "email": {"type": ["string", "null"]},
                    "phone": {"type": ["string", "null"]},
                    "active": {"type": "boolean"},
                },
            },
            "as_of": _TIME,
            "courses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["course", "status", "must_take", "overdue", "attempts"],
                    "properties": {
                        "course": {
                            "type": "object",
                            "required": ["id", "title", "required"],
                            "properties": {
                                "id": {"type": "string"},
                                "title": {"type": "string"},
                                "required": {"type": "boolean"},
                            },
                        },
                        "status": {"enum": [s.value for s in Status]},
                        "must_take": {"type": "boolean"},
                        "due_date": {"type": ["string", "null"], "format": "date"},
                        "overdue": {"type": "boolean"},
                        "started_at": _NULLABLE_TIME,
                        "last_activity": _NULLABLE_TIME,
                        "completed_at": _NULLABLE_TIME,
                        "completed_via": _VIA,
                        "best_score": {"type": ["number", "null"]},
                        "attempts": {"type": "integer", "minimum": 0},
                        "certificate_code": {"type": ["string", "null"]},
                        "lessons_done": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["title", "at"],
                                "properties": {
                                    "title": {"type": "string"},
                                    "at": _NULLABLE_TIME,
                                },
                            },
                        },
                        "passing_attempt": {
                            "type": ["object", "null"],
                            "required": ["at", "score"],
                            "properties": {"at": _NULLABLE_TIME, "score": {"type": "number"}},
                        },
                    },
                },
            },
        },
    },
}


def openapi_document() -> dict[str, Any]:
    """The description of every /api/v1 operation, its parameters, answers and errors."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "elearn API",
            "version": VERSION,
            "description": (
                "Completion figures for managers and admins, scoped to their unit's subtree, "
                "and each person's own progress. Authenticate with `Authorization: Bearer "
                "<token>` (a token from `elearn tokens create` or the account's token page) "
                'or the browser session. Errors are JSON `{"error": message}`.'
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/me/progress": {
                "get": _operation(
                    "The caller's own courses with status and lesson counts.",
                    _json(_ref("MyProgress"), "The caller's courses."),
                    [],
                )
            },
            "/me/passport": {
                "get": _operation(
                    "The caller's digital-skills passport: each domain of the competency "
                    "framework, covered or not, and the course to take next.",
                    _json(_ref("MyPassport"), "The caller's passport."),
                    [],
                )
            },
            "/me/events": {
                "get": _operation(
                    "Whose session this is, and a CSRF token for sending queued events with it.",
                    _json(_ref("EventsSender"), "The account and a fresh CSRF token."),
                    [],
                ),
                "post": {
                    **_operation(
                        "Apply lesson events a device queued offline, each once (by its id). "
                        "A malformed batch applies nothing; otherwise every event gets an "
                        "answer. A session must send `X-CSRFToken`; a bearer token need not.",
                        _json(_ref("EventResults"), "One answer per event, in order."),
                        [],
                        400,
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "maxItems": 100,
                                    "items": _ref("Event"),
                                }
                            }
                        },
                    },
                },
            },
            "/reports/officials/{username}": {
                "get": _operation(
                    "One official in the caller's units: every course, its status, lessons "
                    "done, attempts and certificate, as the official's page shows them.",
                    _json(_ref("OfficialRecord"), "The official's record."),
                    [
                        {
                            "name": "username",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 64},
                        }
                    ],
                    403,
                    404,
                )
            },
            "/reports/courses": {
                "get": _operation(
                    "Every published course with its figures for a unit.",
                    _json(_ref("CourseReport"), "Figures per course."),
                    [_UNIT_PARAM],
                    400,
                    403,
                    404,
                )
            },
            "/reports/domains": {
                "get": _operation(
                    "Per domain of the competency framework, how many of a unit's officials "
                    "cover it (completed at least one published course tagged with it), and "
                    "the same for each direct child unit.",
                    _json(_ref("DomainReport"), "Figures per domain."),
                    [_UNIT_PARAM],
                    400,
                    403,
                    404,
                )
            },
            "/reports/completion": {
                "get": _operation(
                    "A unit's totals for one course, and the same for each direct child unit.",
                    _json(_ref("CompletionReport"), "Totals and child units."),
                    [_UNIT_PARAM, _COURSE_PARAM],
                    400,
                    403,
                    404,
                )
            },
            "/reports/officials": {
                "get": _operation(
                    "Officials in scope with their status for one course, a page at a time.",
                    _json(_ref("OfficialsReport"), "One page of officials."),
                    [
                        _UNIT_PARAM,
                        _COURSE_PARAM,
                        {
                            "name": "status",
                            "in": "query",
                            "required": False,
                            "schema": {"enum": [s.value for s in Status]},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": "Part of a name or username, with or without marks.",
                            "schema": {"type": "string", "maxLength": 100, "pattern": NO_NUL},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 999_999},
                        },
                        {
                            "name": "per_page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                        },
                    ],
                    400,
                    403,
                    404,
                )
            },
        },
        "components": {
            "schemas": _SCHEMAS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
