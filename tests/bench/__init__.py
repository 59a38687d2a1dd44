"""The benchmark (`make bench`), a development tool and no part of the application.

data.py builds the data set, measure.py times single requests against a bare view,
load.py runs gunicorn under load, report.py prints the tables, run.py (`python -m tests.bench`)
makes the throw-away databases and runs each data set in a child process. Its own tests are
the test_*.py files here.
"""
