"""What the lecturer pages need to know about classes (DESIGN §3).

Classes belong to the app above this one, which this app may not name, nor reach into through the
relations it puts on lecturers (`lecturer.sessions`): that app answers these hooks in its
AppConfig.ready(). A cancelled class was never taught: neither answer counts it.
"""

from trungtam.hooks import Hook

# The lecturers annotated with `session_count` and `period_sum` of the year.
with_teaching = Hook("how much did these lecturers teach in the year")
# A lecturer's sessions of the year, with their class and topic.
sessions_in_year = Hook("which sessions did this lecturer teach in the year")
