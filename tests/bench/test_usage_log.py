"""`make bench` measures the usage log's cost: the measurement runs on a small data set."""

import pytest

from tests.bench import measure
from tests.bench.data import build_data

pytestmark = pytest.mark.django_db


def test_the_benchmark_measures_the_record_page_with_and_without_the_log(monkeypatch):
    monkeypatch.setattr(measure, "REQUESTS", 2)
    monkeypatch.setattr(measure, "WARM_UP", 1)
    data = build_data(rounds=1, regions=2, themes=2, actions=2, words=20)
    result = measure.measure_usage_log(data)
    assert result["inserts_per_request"] == 1
    assert result["with_log"] > 0 and result["without_log"] > 0 and result["insert"] > 0
