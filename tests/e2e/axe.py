"""axe-core in the page: WCAG 2.1 A and AA rules, and a readable list of what they found.

``scripts/test`` installs the pinned axe-core from npm into ``.tools/`` (``ensure_axe`` in
``scripts/lib/setup.sh``, which holds the version); each scan injects that file into the page
with Playwright and runs it there.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DIALOGS = '[role="dialog"], [role="alertdialog"]'


def pinned_version() -> str:
    """The axe-core version ``scripts/lib/setup.sh`` installs."""
    text = (ROOT / "scripts" / "lib" / "setup.sh").read_text()
    return re.search(r"^AXE_VERSION=(\S+)$", text, re.MULTILINE).group(1)


def missing_axe() -> str | None:
    """Why axe-core cannot run here, or None when the pinned build is installed."""
    if not AXE_SCRIPT.exists():
        return f"{AXE_SCRIPT} is missing: scripts/test installs axe-core (ensure_axe in scripts/lib/setup.sh)"
    installed = re.search(r"axe v(\S+)", AXE_SCRIPT.read_text()[:300])
    if installed is None or installed.group(1) != pinned_version():
        found = installed.group(1) if installed else "an unknown version"
        return f"{AXE_SCRIPT} is {found}, not the pinned {pinned_version()}: run scripts/test"
    return None


def scan(page: Page, *, within: str | None = None) -> list[dict]:
    """Run axe over the page (or only inside the elements ``within`` selects); its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    # Nothing is left out: the whole document, or everything inside ``within``.
    context = {"include": [[within]]} if within is not None else None
    result = page.evaluate(
        """([context, tags]) => axe
            .run(context ?? document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
            .then((r) => r.violations.map((v) => ({
                rule: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            })))""",
        [context, WCAG_21_AA],
    )
    return result


def report(where: str, violations: list[dict]) -> list[str]:
    """One line per element that breaks a rule: where, rule, impact, element and why."""
    lines = []
    for violation in violations:
        for node in violation["targets"]:
            why = " ".join(node["summary"].split())[:240]
            rule = f"{violation['rule']} ({violation['impact']})"
            lines.append(f"{where}: {rule} {node['target']} — {violation['help']}. {why}")
    return lines


def assert_accessible(page: Page, where: str, *, within: str | None = None) -> None:
    """Fail with one line per violation found on the page (or inside ``within``)."""
    problem = missing_axe()
    assert problem is None, problem
    found = report(where, scan(page, within=within))
    assert not found, f"{len(found)} WCAG 2.1 A/AA violations:\n" + "\n".join(found)


def page_routes() -> dict[str, str]:
    """Every route the app registers (``@rx.page`` or ``@portal_page``), with its page function.

    Read from the source of ``portal_app/pages``: importing the pages here would register them a
    second time in the process that serves the app.
    """
    from portal_app import routes

    found = {}
    for module in sorted((ROOT / "portal_app" / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                for keyword in getattr(decorator, "keywords", []):
                    if keyword.arg == "route" and isinstance(keyword.value, ast.Attribute):
                        found[getattr(routes, keyword.value.attr)] = f"{module.stem}.{node.name}"
    return found


def dialog_definitions() -> set[str]:
    """``module.function`` of every function in the app that builds a dialog or alert dialog."""
    found = set()
    for module in sorted((ROOT / "portal_app").glob("*/*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "root"
                    and ast.unparse(call.func.value) in ("rx.dialog", "rx.alert_dialog")
                ):
                    found.add(f"{module.stem}.{node.name}")
    return found
