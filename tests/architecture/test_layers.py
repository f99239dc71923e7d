"""Issue 18: imports point down the layers (core, pathway, metrics, api and pages).

Every module of every app is parsed (function-local imports included, since those are how
a cycle hides) and each import of a project module is checked against the layer table in
``tests/architecture/layers.py``. docs/architecture.md draws the same picture.
"""

from tests.architecture import layers
from tests.architecture.layers import CASEWORK, CORE, EDGE, MEASURES, SERVICES, layer_of


def _describe(found) -> list[str]:
    return [
        f"{imp.importer}:{imp.line} ({layers.NAMES[low]}) imports {imp.imported} "
        f"({layers.NAMES[high]})"
        for imp, low, high in found
    ]


def test_no_module_imports_one_from_a_layer_above_it():
    assert _describe(layers.upward_imports()) == []


def test_metrics_finds_other_apps_kpis_through_their_registration_not_by_import():
    """Early help and workforce register their KPIs; metrics names neither module."""
    known = layers.modules()
    found = [
        (imp.importer, layers.resolve(imp.imported, known))
        for module, path in known.items()
        if module.startswith("metrics")
        for imp in layers.imports(module, path)
        if not layers.resolve(imp.imported, known).startswith("metrics")
        and layer_of(layers.resolve(imp.imported, known)) == MEASURES
    ]
    assert found == []


def test_the_layer_table_places_known_modules_where_the_architecture_says():
    assert layer_of("casework.calendar") == CORE
    assert layer_of("casework.timescales") == CORE
    assert layer_of("accounts.permissions") == CORE
    assert layer_of("referrals.models") == CORE
    assert layer_of("casework.services.assessments") == CASEWORK
    assert layer_of("earlyhelp.services") == SERVICES
    assert layer_of("earlyhelp.kpis") == MEASURES
    assert layer_of("metrics.returns.cin_xml") == MEASURES
    assert layer_of("casework.views.children") == EDGE
    assert layer_of("api.views.plans") == EDGE


def test_the_walk_sees_function_local_imports():
    """The cycles the issue found hid in function bodies: the walk must see them."""
    known = layers.modules()
    local = [
        imp
        for imp in layers.imports(
            "casework.services.assessments", known["casework.services.assessments"]
        )
        if imp.imported.startswith("casework.errors")
    ]
    assert local


def test_the_registry_lists_every_apps_kpis_once_in_dashboard_order():
    """Found through each app's kpi_definitions: social care, early help, care, workforce."""
    from metrics.registry import CODES, KPIS

    codes = [k.code for k in KPIS]
    assert len(codes) == len(set(codes)) == len(CODES)
    first = {name: codes.index(code) for name, code in (
        ("early help", "early_help_assessments"), ("care", "cla_count"),
        ("workforce", "agency_rate"),
    )}  # fmt: skip
    assert codes.index("contacts_screened_1wd") == 0
    assert first["early help"] < first["care"] < first["workforce"]
