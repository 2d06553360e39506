"""Where the workplace's shared material is: the seed articles (seeds/) and the strict feed
checker (tools/feedcheck/), kept outside this repository in a folder named `shared`.

BANTIN_SHARED names it when set; else the first `shared/` beside this checkout or a folder above
it; else the one beside the checkout this one was cloned from, so that a clone made elsewhere
(in /tmp, say) finds it too. When none exists, the first place looked is returned, and what
needs it fails naming that path.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared() -> Path:
    if os.environ.get("BANTIN_SHARED"):
        return Path(os.environ["BANTIN_SHARED"])
    places = list(ROOT.parents)
    origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                            capture_output=True, text=True).stdout.strip()
    if origin.startswith("/") and Path(origin).is_dir():
        places += list(Path(origin).resolve().parents)
    found = [p / "shared" for p in places]
    return next((f for f in found if (f / "seeds").is_dir() or (f / "tools").is_dir()), found[0])


SHARED = shared()
SEEDS = SHARED / "seeds"
FEEDCHECK = SHARED / "tools" / "feedcheck" / "feedcheck.py"
