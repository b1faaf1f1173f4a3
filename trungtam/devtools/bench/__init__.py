"""`manage.py bench`: the benchmark's data set, jobs, floors and report (issue 8)."""
