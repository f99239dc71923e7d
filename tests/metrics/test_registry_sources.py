"""A definition's source is what a head of service can look up: a DfE publication, a
statute or the authority's own measure, never this project's reference notes."""

import re

from metrics.registry import KPIS

INTERNAL = re.compile(r"\.md\b|\bseeds? \d{3}\b|domain\.md|care\.md", re.IGNORECASE)


def test_no_kpi_source_names_an_internal_reference():
    internal = {k.code: k.source for k in KPIS if INTERNAL.search(k.source)}
    assert internal == {}


def test_every_kpi_names_a_source():
    assert [k.code for k in KPIS if not k.source.strip()] == []
