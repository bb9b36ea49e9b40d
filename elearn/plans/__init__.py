"""What managers ask of officials: assignments with due dates, announcements, reminders and
in-app notices, and who is overdue."""
