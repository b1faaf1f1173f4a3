"""What apps above the classes app add to its pages (DESIGN §3): they register in their
AppConfig.ready(); this app renders the answers and never names those apps.
"""

from trungtam.hooks import Hooks, Panels

# Sections of the class page: answer(request, course) -> Panel | None. Officials reach the class
# page too (its figures only): an answer shows them aggregates or nothing.
course_page = Panels("what else belongs on the class page")

# Links a trainee may follow without login for a class (the public evaluation form, …):
# answer(course) -> list[tuple[str, str]] of (label, URL); a fixed number of queries.
public_class_links = Hooks("what may a trainee open for this class without login")

# Notes on the timetable's sessions (say «Chưa có giáo án duyệt»): answer(sessions) ->
# dict[session id, str] for sessions loaded with their class and topic; a fixed number of queries.
session_notes = Hooks("what should the timetable say about these sessions")
