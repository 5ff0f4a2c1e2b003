"""The layer rule: no app imports from an app above it (docs/architecture.md, "Layers").

The contract is `[tool.importlinter]` in pyproject.toml, checked here by import-linter so
that `make test` fails on an upward import (`uv run lint-imports` shows the chain)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from django.test import SimpleTestCase
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def contract_holds() -> tuple[bool, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.chdir(ROOT):
        code = lint_imports(config_filename="pyproject.toml", no_cache=True)
    return code == 0, out.getvalue()


class LayerTests(SimpleTestCase):
    # One test, not two: under xdist a second test could meet the probe module below.
    def test_no_app_imports_from_an_app_above_it_and_one_that_does_fails(self) -> None:
        holds, report = contract_holds()
        self.assertTrue(holds, report)
        # A module of profiles that reaches up into training, as linked.py once did.
        probe = ROOT / "profiles" / "layer_probe_upward.py"
        probe.write_text("from training.evidence import evidence_for  # noqa: F401\n")
        try:
            holds, report = contract_holds()
        finally:
            probe.unlink()
        self.assertFalse(holds)
        self.assertIn("profiles is not allowed to import training", report)
        self.assertIn("profiles.layer_probe_upward -> training.evidence", report)

    def test_no_upward_import_is_waved_through(self) -> None:
        # Only test modules may be ignored (they build their world with portal.testing,
        # at the top): a page of a lower app that needs a higher one's figures gets them
        # through core.panels.
        import tomllib

        config = tomllib.loads((ROOT / "pyproject.toml").read_text())
        ignored = [
            i
            for c in config["tool"]["importlinter"]["contracts"]
            for i in c.get("ignore_imports", [])
        ]
        debt = [i for i in ignored if i != "**.tests.** -> **"]
        self.assertEqual(debt, [])
