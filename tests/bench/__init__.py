"""The benchmark (`make bench`), a development tool and no part of the application.

data.py builds the data set, measure.py times single requests against a bare view,
served.py measures the pages' requests/s against the bare view's through gunicorn (with
settings.py, the bench's URL conf), load.py runs gunicorn under load (people with a think
time, then the closed-loop capacity), report.py prints the tables, run.py (`python -m tests.bench`)
makes the throw-away databases and runs each data set in a child process. Its own tests are
the test_*.py files here.
"""
