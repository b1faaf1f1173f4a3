"""What the trainee and unit pages need to know about classes (DESIGN §3).

Classes belong to the app above this one, which this app may not name, nor reach into through the
relations it puts on trainees and units (`trainee.enrolments`, `unit.enrolments`): that app
answers these hooks in its AppConfig.ready().
"""

from trungtam.hooks import Hook

# The years (newest first) in which any of these trainees was in a class.
class_years = Hook("in which years were these trainees in a class")
# The trainees in a class that starts in the year (a queryset of trainees).
in_class_year = Hook("which trainees were in a class of this year")
# A person's enrolments for their page, newest class first, with class, program, unit, certificates.
trainee_enrolments = Hook("which classes was this person in")
# Why `remove` cannot be merged into `keep` because of their classes (e.g. both in one class).
merge_refusals = Hook("do these two records share a class")
# The enrolments that move to the record kept in a merge, newest class first.
merge_enrolments = Hook("which enrolments move in a merge")
# Per year (newest first): the enrolments a unit sent and the people, cancelled classes left out.
unit_years = Hook("how many did this unit send to classes, per year")
