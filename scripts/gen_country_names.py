"""Write the English country names ``core/phone.py`` uses in its reasons, from phonenumbers' geocoder.

Dev-time tool. ``phonenumbers.geocoder`` holds these names, but importing it loads every
geographic prefix table of the library (about 0.4 s and 100 MiB), so the app reads this small
table instead. The names are exactly what the geocoder gives (its private
``_region_display_name(region, "en")``), for every region in ``phonenumbers.SUPPORTED_REGIONS``
that has one (AC, TA and XK have none; there the reason just says ``+247``).

    python scripts/gen_country_names.py [--check]

Writes ``whats91_desktop/core/data/country_names.json``. ``--check`` writes nothing and exits 1
when the committed file differs from what would be written (e.g. after a phonenumbers upgrade).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import phonenumbers
from phonenumbers import geocoder

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "whats91_desktop" / "core" / "data" / "country_names.json"


def country_names() -> dict[str, str]:
    """Region code -> English name, as the geocoder has it, for every supported region with one."""
    names = {}
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        name = geocoder._region_display_name(region, "en")
        if name:
            names[region] = str(name)
    return names


def render() -> str:
    document = {
        "source": f"phonenumbers {phonenumbers.__version__} geocoder, English names",
        "generator": "scripts/gen_country_names.py",
        "names": country_names(),
    }
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(REPO)} is stale: run scripts/gen_country_names.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"Wrote {OUTPUT.relative_to(REPO)} ({len(json.loads(text)['names'])} regions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
