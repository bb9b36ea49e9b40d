"""`elearn reminders send`: e-mail through a real local SMTP server, in-app notices otherwise,
never twice for the same assignment, person and period."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import event, select

from elearn.extensions import db
from elearn.models import Notice, ReminderSent, User
from elearn.plans.recipients import period_for
from elearn.plans.reminders import send_reminders
from tests.coursekit import OPTIONAL, REQUIRED
from tests.webkit import days, form_token, login

SMTP_USER, SMTP_PASSWORD = "nhac-hoc@bacninh.gov.vn", "mat-khau:bi-mat"


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses one address."""

    refused = "khong-nhan@bacninh.gov.vn"

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _check_login(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that requires a login but has no TLS, so the URL says
    smtp+insecure:// (a local relay); yields (URL, inbox)."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_check_login,
        auth_require_tls=False,  # a test server on the loopback interface has no certificate
    )
    controller.start()
    url = f"smtp+insecure://nhac-hoc%40bacninh.gov.vn:mat-khau%3Abi-mat@127.0.0.1:{port}"
    yield url, inbox
    controller.stop()


@pytest.fixture
def due(courses, make_user, assign, finish, today):
    """The optional course is due in 3 days in Từ Sơn; the required one was due 10 days ago
    across the province; the optional one is due in 20 days in Bắc Ninh (no reminder yet)."""
    soon = assign(OPTIONAL, "261", due=today + days(3))
    overdue = assign(REQUIRED, "27", due=today - days(10))
    assign(OPTIONAL, "256", due=today + days(20))
    make_user("dn", unit="09367", full_name="Nguyễn Văn Đông")
    make_user("vn", unit="09163", full_name="Trần Thị Vũ")
    make_user("xong", unit="09367")
    finish("xong", OPTIONAL)
    finish("xong", REQUIRED)
    make_user("nghi", unit="09370", active=False)
    return {"soon": soon, "overdue": overdue, "today": today}


def _sent(app) -> list[tuple[int, str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                ReminderSent.assignment_id,
                ReminderSent.user_id,
                ReminderSent.period,
                ReminderSent.channel,
            )
        ).all()
        return sorted(tuple(r) for r in rows)


def _notices(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(User.username, Notice.text, Notice.link).join(User, User.id == Notice.user_id)
        ).all()
        return sorted(tuple(r) for r in rows)


def test_without_smtp_people_get_in_app_notices_once(app, due, runner):
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "Reminded 2 person(s): 0 e-mail(s), 3 in-app notice(s)." in result.output
    notices = _notices(app)
    assert [(user, link) for user, _text, link in notices] == [
        ("dn", "/courses/an-toan"),
        ("dn", "/courses/dich-vu-cong"),
        ("vn", "/courses/dich-vu-cong"),
    ]
    today = due["today"]
    soon_text, late_text = notices[0][1], notices[1][1]
    assert soon_text.startswith("Nhắc học: khoá học “An toàn thông tin”")
    assert (today + days(3)).strftime("%d/%m/%Y") in soon_text
    assert late_text.startswith("Quá hạn: khoá học “Dịch vụ công trực tuyến”")
    periods = {(a, p, c) for a, _u, p, c in _sent(app)}
    assert periods == {
        (due["soon"], "due-soon", "notice"),
        (due["overdue"], period_for(today - days(10), today), "notice"),
    }
    assert len(_sent(app)) == 3

    again = runner.invoke(args=["reminders", "send"])
    assert "Reminded 0 person(s): 0 e-mail(s), 0 in-app notice(s)." in again.output
    assert len(_sent(app)) == 3 and len(_notices(app)) == 3


def test_notices_show_on_the_home_page_until_read(app, due, runner, client):
    runner.invoke(args=["reminders", "send"])
    login(client, "dn")
    page = client.get("/").get_data(as_text=True)
    assert "Nhắc nhở" in page and 'href="/courses/an-toan">Nhắc học' in page
    with app.app_context():
        ids = dict(
            db.session.execute(
                select(User.username + Notice.link, Notice.id).join(User, User.id == Notice.user_id)
            ).all()
        )
    first, theirs = ids["dn/courses/an-toan"], ids["vn/courses/dich-vu-cong"]
    token = form_token(page)
    assert client.get(f"/notices/{first}/read").status_code == 405
    assert client.post(f"/notices/{first}/read", data={}).status_code == 400
    assert client.post(f"/notices/{theirs}/read", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/notices/{first}/read", data={"csrf_token": token}).status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "An toàn thông tin”" not in page.split("Khoá học của anh/chị")[0]
    assert "Dịch vụ công trực tuyến”" in page


def test_e_mail_through_a_real_smtp_server(app, make_app, due, make_user, smtp_server):
    url, inbox = smtp_server
    make_user("thu", unit="09370", full_name="Lê Thị Thu", email="thu@bacninh.gov.vn")
    make_user("tu-choi", unit="09370", email=Inbox.refused)
    mailing = make_app(SMTP_URL=url, PUBLIC_URL="https://hoc.bacninh.gov.vn/")
    result = mailing.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    # thu: one e-mail for both courses; dn and vn have no address; tu-choi is refused.
    assert "Reminded 4 person(s): 1 e-mail(s), 5 in-app notice(s)." in result.output
    assert "1 e-mail(s) were refused by the server" in result.output

    [(sender, recipients, message)] = inbox.messages
    assert sender == SMTP_USER and recipients == ["thu@bacninh.gov.vn"]
    assert message["Subject"] == "Nhắc học: có khoá học đã quá hạn hoàn thành"
    assert message["To"] == "Lê Thị Thu <thu@bacninh.gov.vn>"
    assert "Học kỹ năng số" in message["From"]
    body = message.get_content()
    today = due["today"]
    assert "Kính gửi anh/chị Lê Thị Thu," in body
    assert f"- An toàn thông tin: hạn hoàn thành {(today + days(3)).strftime('%d/%m/%Y')}" in body
    late = (today - days(10)).strftime("%d/%m/%Y")
    assert f"- Dịch vụ công trực tuyến: hạn hoàn thành {late} (đã quá hạn)" in body
    links = {line.strip() for line in body.splitlines() if line.startswith("  https://")}
    assert links == {f"https://hoc.bacninh.gov.vn/courses/{s}" for s in (OPTIONAL, REQUIRED)}
    assert "Học kỹ năng số (https://hoc.bacninh.gov.vn)" in body
    channels = sorted(channel for *_key, channel in _sent(app))
    assert channels.count("email") == 2  # thu's two assignments
    assert channels.count("notice") == 5

    again = mailing.test_cli_runner().invoke(args=["reminders", "send"])
    assert "Reminded 0 person(s)" in again.output
    assert len(inbox.messages) == 1


def test_an_unreachable_smtp_server_fails_clearly(app, make_app, due):
    mailing = make_app(SMTP_URL=f"smtp://127.0.0.1:{_free_port()}")
    result = mailing.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 1
    assert "cannot send e-mail through 127.0.0.1" in result.output
    assert _sent(app) == []


def _course_link(slug: str) -> str:
    return f"/courses/{slug}"


def _run(app, today) -> list[tuple[str, str]]:
    """Send as of `today`; return (username, period) of every reminder recorded so far."""
    with app.app_context():
        for _batch in send_reminders(course_link=_course_link, today=today):
            db.session.commit()
        rows = db.session.execute(
            select(User.username, ReminderSent.period).join(User, User.id == ReminderSent.user_id)
        ).all()
        return sorted(tuple(r) for r in rows)


def test_overdue_reminders_come_back_weekly_and_due_soon_ones_do_not(app, due):
    today = due["today"]
    first = _run(app, today)
    this_week = period_for(today - days(10), today)
    assert first == [("dn", "due-soon"), ("dn", this_week), ("vn", this_week)]
    # The next day: nothing new about the course due soon, whatever the week.
    assert [r for r in _run(app, today + days(1)) if r[1] == "due-soon"] == [("dn", "due-soon")]
    # A week later the required course is still overdue (a new week) for dn and vn, and the
    # optional one has become overdue for dn: one reminder each for that week.
    next_week = period_for(today - days(10), today + days(7))
    later = _run(app, today + days(7))
    assert [r for r in later if r[1] == next_week] == [("dn", next_week)] * 2 + [("vn", next_week)]


def test_the_work_does_not_grow_with_the_number_of_people(app, due, make_user):
    def statements_for_a_run() -> int:
        seen: list[str] = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                for _batch in send_reminders(course_link=_course_link, today=due["today"]):
                    db.session.rollback()  # look again at the same work next time
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    few = statements_for_a_run()
    for n in range(30):
        make_user(f"them{n}", unit="09370" if n % 2 else "09163", password=None)
    many = statements_for_a_run()
    assert many == few
