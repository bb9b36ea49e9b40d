"""What officials see: home page, courses, lessons and quizzes."""
