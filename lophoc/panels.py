"""What apps above the classes app add to its pages (DESIGN §3): they register in their
AppConfig.ready(); this app renders the answers and never names those apps.
"""

from trungtam.hooks import Hooks, Panels

# Sections of the class's quality page (/lop/<pk>/chat-luong/: evaluation, lesson plans,
# observations, materials, follow-up): answer(request, course) -> Panel | None. The class page
# itself only links there, so it keeps its own fixed count (≤ 15 queries). Officials reach the
# page too: an answer shows them aggregates or nothing.
course_page = Panels("what belongs on the class's quality page")

# Links a trainee may follow without login for a class (the public evaluation form, …):
# answer(course) -> list[tuple[str, str]] of (label, URL); a fixed number of queries.
public_class_links = Hooks("what may a trainee open for this class without login")

# Notes on the timetable's sessions (say «Chưa có giáo án duyệt»): answer(sessions) ->
# dict[session id, str] for sessions loaded with their class and topic; a fixed number of queries.
session_notes = Hooks("what should the timetable say about these sessions")


def notes_for(sessions: list) -> dict[int, list[str]]:
    """Every app's notes on these sessions, by session id (a fixed number of queries)."""
    notes: dict[int, list[str]] = {}
    for answer in session_notes(sessions):
        for session_id, note in answer.items():
            notes.setdefault(session_id, []).append(note)
    return notes
