"""`make serve` is production-shaped: demo mode off and two-factor sign-in required, even
if the caller's environment asks for the demo (issue 16)."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DEBUG, settings.DEMO_MODE, settings.CASEFLOW_REQUIRE_2FA)"
)


def test_serve_turns_demo_mode_off_and_requires_two_factor():
    script = (ROOT / "scripts" / "serve.sh").read_text()
    exports = [line for line in script.splitlines() if line.startswith("export ")]
    assert exports, "scripts/serve.sh sets its settings with export lines"
    env = {
        **os.environ,
        "CASEFLOW_DEMO": "true",
        "CASEFLOW_REQUIRE_2FA": "false",
        "STATE": "/nonexistent",
    }
    shell = "\n".join(
        [
            *(line for line in exports if "SECRET_KEY" not in line and "DATABASE" not in line),
            "export DJANGO_SECRET_KEY=" + "k" * 64,
            f'.venv/bin/python -c "{SHOW}"',
        ]
    )
    out = subprocess.run(
        ["bash", "-c", shell], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-3:] == ["False", "False", "True"]
