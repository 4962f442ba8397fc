from __future__ import annotations

import subprocess
import sys

from whats91_desktop.sandbox import constants
from whats91_desktop.sandbox.constants import (
    SANDBOX_BASE_URL,
    SANDBOX_EXPIRED_TOKEN,
    SANDBOX_SCOPED_TOKEN,
    SANDBOX_SENDERS,
    SANDBOX_TOKEN,
    SCENARIO_RECIPIENTS,
    SCENARIOS,
    Scenario,
    scenario_for,
)


def test_contract_values() -> None:
    assert SANDBOX_BASE_URL == "https://sandbox.whats91.invalid/api/v2"
    assert SANDBOX_TOKEN == "w91_live_sandbox00000000000000000000000"
    assert SANDBOX_SCOPED_TOKEN == "w91_live_sandboxscoped00000000000000000"
    assert SANDBOX_EXPIRED_TOKEN == "w91_live_sandboxexpired0000000000000000"
    assert SANDBOX_SENDERS == (("919999999999", "100000000000001"), ("918888800000", "100000000000002"))


def test_every_contract_scenario_has_a_number_and_a_description() -> None:
    expected = {f"9190000000{n:02d}" for n in range(1, 13)}
    assert set(SCENARIOS) == expected
    assert set(SCENARIO_RECIPIENTS) == expected
    assert set(SCENARIO_RECIPIENTS.values()) == set(Scenario) - {Scenario.NORMAL}
    assert all(description for description in SCENARIOS.values())
    assert scenario_for(constants.SLOW_RECIPIENT) is Scenario.SLOW
    assert scenario_for("918888888888") is Scenario.NORMAL


def test_sandbox_imports_no_qt_ui_or_core_beyond_the_loopback_rule_and_the_server() -> None:
    """From the core the sandbox takes only ``core.urls`` (and what that needs), so it listens on
    exactly the hosts the client may reach, and the HTTP/1.1 server it shares with the webhook
    receiver; nothing else of the core is loaded."""
    code = (
        "import sys, whats91_desktop.core.urls, whats91_desktop.core.http_server;"
        "rule = set(sys.modules);"
        "import whats91_desktop.sandbox, whats91_desktop.sandbox.server;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'shiboken6')"
        " or m.startswith(('whats91_desktop.ui', 'whats91_desktop.cli'))"
        " or (m.startswith('whats91_desktop.core') and m not in rule)];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
