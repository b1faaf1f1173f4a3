"""What apps above the lecturers app add to the lecturer's page (DESIGN §3): they register in
their AppConfig.ready(); this app renders the answers and never names those apps.
"""

from trungtam.hooks import Panels

# Sections of the lecturer's page: answer(request, lecturer, year) -> Panel | None. The page is
# opened by the lecturer (their own) and by staff; an answer decides what each may see.
lecturer_page = Panels("what else belongs on the lecturer's page")
