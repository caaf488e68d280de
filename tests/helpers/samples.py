"""AWS's own sample requests, from the API reference pages (tests/data/seed_samples.json)."""

import json
from pathlib import Path
from typing import Any

SAMPLES: dict[str, Any] = json.loads((Path(__file__).parents[1] / "data" / "seed_samples.json").read_text())
