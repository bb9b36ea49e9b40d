"""What reminders say, in plain Vietnamese: the in-app notice and the e-mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr

from elearn.formatting import format_date
from elearn.plans.notices import TEXT_MAX
from elearn.plans.recipients import DueCourse, Recipient

SITE_NAME = "Học kỹ năng số"


def notice_text(title: str, due_date: date, today: date) -> str:
    """The in-app reminder of one course."""
    if due_date < today:
        text = (
            f"Quá hạn: khoá học “{title}” có hạn hoàn thành {format_date(due_date)}, "
            "anh/chị chưa học xong. Anh/chị hãy hoàn thành sớm."
        )
    else:
        text = (
            f"Nhắc học: khoá học “{title}” có hạn hoàn thành {format_date(due_date)}. "
            "Anh/chị hãy học xong trước hạn."
        )
    return text[:TEXT_MAX]


def reminder_email(
    person: Recipient,
    courses: list[DueCourse],
    titles: dict[int, str],
    today: date,
    *,
    site_url: str | None = None,
    course_url: Callable[[int], str] | None = None,
) -> EmailMessage:
    """The e-mail reminding one person of their due and overdue courses; with the site's
    public address each course comes with its link (`course_url(course_id)`)."""
    overdue = any(due.due_date < today for due in courses)
    message = EmailMessage()
    message["Subject"] = (
        "Nhắc học: có khoá học đã quá hạn hoàn thành"
        if overdue
        else "Nhắc học: khoá học sắp đến hạn hoàn thành"
    )
    message["To"] = formataddr((person.full_name, person.email or ""))
    lines = [
        f"Kính gửi anh/chị {person.full_name},",
        "",
        "Anh/chị còn khoá học sau chưa hoàn thành:",
        "",
    ]
    for due in courses:
        late = " (đã quá hạn)" if due.due_date < today else ""
        lines.append(f"- {titles[due.course_id]}: hạn hoàn thành {format_date(due.due_date)}{late}")
        if site_url and course_url:
            lines.append(f"  {site_url}{course_url(due.course_id)}")
    where = f"{SITE_NAME} ({site_url})" if site_url else SITE_NAME
    lines += [
        "",
        f"Anh/chị hãy đăng nhập trang {where} để học tiếp. Mỗi bài học xong được lưu ngay,",
        "nên anh/chị có thể học từng bài khi có thời gian.",
        "",
        "Thư này được gửi tự động, anh/chị không cần trả lời.",
    ]
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    return message


def nudge_text(title: str, sender_unit: str) -> str:
    """The in-app notice a manager sends from a list."""
    text = (
        f"Nhắc học từ {sender_unit}: anh/chị chưa hoàn thành khoá học “{title}”. "
        "Anh/chị hãy dành thời gian học trong tuần này."
    )
    return text[:TEXT_MAX]


def nudge_email(
    full_name: str,
    email: str,
    titles: list[str],
    *,
    site_url: str | None = None,
    links: list[str] | None = None,
) -> EmailMessage:
    """The e-mail that follows a manager's reminder, listing the courses to finish."""
    message = EmailMessage()
    message["Subject"] = "Nhắc học: anh/chị còn khoá học chưa hoàn thành"
    message["To"] = formataddr((full_name, email))
    lines = [f"Kính gửi anh/chị {full_name},", "", "Anh/chị còn khoá học sau chưa hoàn thành:", ""]
    for index, title in enumerate(titles):
        lines.append(f"- {title}")
        if site_url and links:
            lines.append(f"  {site_url}{links[index]}")
    where = f"{SITE_NAME} ({site_url})" if site_url else SITE_NAME
    lines += [
        "",
        f"Anh/chị hãy đăng nhập trang {where} để học tiếp.",
        "",
        "Thư này được gửi tự động, anh/chị không cần trả lời.",
    ]
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    return message
