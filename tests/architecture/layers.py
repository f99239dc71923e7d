"""The layers of Caseflow, bottom to top, and the module walk the layer test uses.

Layers are assigned per module, not per app: Django apps keep their tables where they are
(no model moves between apps), so an app such as ``casework`` holds both core records and
pathway services. See docs/architecture.md for the picture and the reasons.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts", "api", "bench", "care", "casework", "config", "earlyhelp", "metrics", "ops",
    "referrals", "workforce",
)  # fmt: skip

CORE, CASEWORK, FRONT_DOOR, SERVICES, MEASURES, EDGE = range(6)
NAMES = {
    CORE: "core",
    CASEWORK: "pathway: casework",
    FRONT_DOOR: "pathway: front door",
    SERVICES: "pathway: care, early help, workforce",
    MEASURES: "metrics and returns",
    EDGE: "api and pages",
}
# The pathway, bottom to top: the work on a child (casework's services: children,
# assessments, plans, visits, allocation), the front door that opens it (referrals:
# contacts, screening, referrals and their episodes), and the services either side of
# social care that build on both (children in care, early help, the workforce) plus ops.
_PATHWAY = {"casework": CASEWORK, "referrals": FRONT_DOOR}

# The shared core: records (models), codes, errors, the calendar and timescales, named
# predicates, who may see what (permissions), the audit trail, the plumbing every record's
# write shares (lock, check the transition, save with version and history), and the
# platform (settings, Celery app, logs).
_CORE = re.compile(
    r"^(config\.(settings|celery|logging)"
    r"|accounts\.(models|errors|permissions|audit|services|backends|db_roles)"
    r"|(casework|referrals|care|earlyhelp|workforce|ops)\.(models|codes|errors)"
    r"|casework\.(calendar|timescales|rules|signals|predicates|services\.(common|permissions)|generator\.hooks)"
    r"|earlyhelp\.predicates|care\.timescales|metrics\.periods"
    r")(\.|$)"
)
# What a person or a client touches: HTTP views, forms, tables, template tags, URL confs,
# admin, middleware, management commands, the REST API, the bench and the site's glue;
# and each app's AppConfig, which wires the app into the hooks of the layers below it.
_EDGE = re.compile(
    r"(^(api|bench)(\.|$))"
    r"|(^config\.(urls|health|error_pages|request_guards|asgi|wsgi)$)"
    r"|(\.(views|views_\w+|forms|tables|templatetags|urls|admin|middleware|management"
    r"|child_pages|token_pages|filters|sections|drilldown_list|charts|apps)(\.|$))"
)
# An app's KPI computations and definitions sit in the metrics layer beside its records.
_MEASURES = re.compile(r"^(metrics(\.|$)|\w+\.(kpis|kpi_\w+)$)")
# The generator writes a whole authority as the services would, asking the decisions of
# the front door (screening, closure) as well as casework's, so it sits with the services
# above both, as the care, early help and workforce generators do; the demo refresh reads
# the generated authority's name.
_GENERATOR = re.compile(r"^casework\.(generator|demo_refresh)(\.|$)")


def layer_of(module: str) -> int:
    if _EDGE.search(module):
        return EDGE
    if _CORE.search(module):
        return CORE
    if _MEASURES.search(module):
        return MEASURES
    if _GENERATOR.search(module):
        return SERVICES
    return _PATHWAY.get(module.split(".")[0], SERVICES)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


def modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports(module: str, path: Path) -> list[Import]:
    """Every import of a project module in ``path``, function-local ones included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            # ``from casework import timescales`` imports the module casework.timescales
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in APPS:
                found.append(Import(module, target, node.lineno))
    return found


def resolve(target: str, known: dict[str, Path]) -> str:
    """The longest known module that ``target`` names (a module, or a name inside one)."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target


def upward_imports() -> list[tuple[Import, int, int]]:
    known = modules()
    found = []
    for module, path in known.items():
        for imp in imports(module, path):
            target = resolve(imp.imported, known)
            if target and layer_of(target) > layer_of(module):
                found.append((imp, layer_of(module), layer_of(target)))
    return found
