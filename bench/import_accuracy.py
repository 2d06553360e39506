"""How well `bantin import` reads the five seed texts, against the bulletins made from them by hand.

    python bench/import_accuracy.py [--seeds ../shared/seeds] [--no-readme]

Each seed is imported by the real command into a fresh copy of the demo
site's data (its unit and category given as flags: they come from the editor,
not the text) and compared, field by field, with the hand-made bulletin in
content/bulletins/ whose title is a line of the seed.  A field is correct when
both say the same, wrong when the import says something else or something the
hand-made bulletin does not say, missed when only the hand-made one says it;
absent from both, it is not counted.  People are counted one by one (name and
role), and so are documents (number and date).  Text is compared without
regard to case, to the spacing of dashes and commas, or to the old and new
placing of tone marks ("uỷ"/"ủy"): the hand-made bulletins normalise those,
the import keeps the source's words.  The table goes to stdout and into
bench/README.md between markers, with the command that made it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
from generator.content.reader import decode, load_yaml, split_front_matter  # noqa: E402
from generator.documents import slug as document_slug  # noqa: E402
from generator.vietnamese import fold, person_key  # noqa: E402
from run import write_readme  # noqa: E402

from shared import SEEDS  # noqa: E402
START_MARK, END_MARK = "<!-- import:accuracy:start -->", "<!-- import:accuracy:end -->"
FIELDS = ["title", "date", "start", "place", "format", "chairs", "guests", "contributions", "documents", "byline",
          "source"]
GOAL = ["chairs", "guests", "documents", "contributions", "byline"]
OLD_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe",
             "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def same_text(a, b) -> bool:
    def norm(text) -> str:
        text = unicodedata.normalize("NFC", str(text)).casefold()
        for old, new in OLD_TONES.items():
            text = text.replace(old, new)
        text = re.sub(r"\s*[–—-]\s*", " - ", text)
        text = re.sub(r"\s*,\s*", ", ", text)
        return " ".join(text.split()).strip(" .")
    return norm(a) == norm(b)


def front_matter(path: Path) -> dict:
    text = decode(path.read_bytes())
    return load_yaml(split_front_matter(text)[0]).data or {}


def hand_made(seed: Path, bulletins: Path) -> tuple[Path, dict]:
    """The content bulletin whose title stands as a line of the seed."""
    lines = {fold(" ".join(line.split())) for line in decode(seed.read_bytes()).splitlines()}
    for path in sorted(bulletins.rglob("*.md")):
        data = front_matter(path)
        if fold(" ".join(str(data.get("title", "")).split())) in lines:
            return path, data
    raise SystemExit(f"{seed.name}: no bulletin in {bulletins} has a title that is a line of this seed")


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)        # (field, 'correct'|'wrong'|'missed') -> n
    notes: list[str] = field(default_factory=list)

    def add(self, seed: str, name: str, verdict: str, detail: str = "") -> None:
        self.counts[(name, verdict)] += 1
        if verdict != "correct":
            self.notes.append(f"{seed}: {name} {verdict}{': ' + detail if detail else ''}")


def compare_value(tally: Tally, seed: str, name: str, expected, got, same=same_text) -> None:
    if expected in (None, "", []) and got in (None, "", []):
        return
    if got in (None, "", []):
        tally.add(seed, name, "missed", f"expected {expected!r}")
    elif expected in (None, "", []) or not same(expected, got):
        tally.add(seed, name, "wrong", f"expected {expected!r}, imported {got!r}")
    else:
        tally.add(seed, name, "correct")


def compare_items(tally: Tally, seed: str, name: str, expected: list, got: list, key, agree) -> None:
    """People or documents one by one: the same key and all that `agree` checks, or wrong; extras are wrong."""
    found = {key(item): item for item in got}
    for item in expected:
        other = found.pop(key(item), None)
        if other is None:
            tally.add(seed, name, "missed", json.dumps(item, ensure_ascii=False))
        elif agree(item, other):
            tally.add(seed, name, "correct")
        else:
            tally.add(seed, name, "wrong", f"expected {json.dumps(item, ensure_ascii=False)}, "
                                           f"imported {json.dumps(other, ensure_ascii=False)}")
    for other in found.values():
        tally.add(seed, name, "wrong", f"not in the hand-made bulletin: {json.dumps(other, ensure_ascii=False)}")


def compare(tally: Tally, seed: str, expected: dict, got: dict, date_given: bool) -> None:
    em, gm = expected.get("meeting") or {}, got.get("meeting") or {}
    compare_value(tally, seed, "title", expected.get("title"), got.get("title"))
    if date_given:
        tally.add(seed, "date", "missed", "the text has no publication date; imported again with --date")
    else:
        compare_value(tally, seed, "date", expected.get("date"), got.get("date"), lambda a, b: str(a) == str(b))
    compare_value(tally, seed, "start", em.get("start"), gm.get("start"), lambda a, b: str(a) == str(b))
    compare_value(tally, seed, "place", em.get("location"), gm.get("location"))
    compare_value(tally, seed, "format", em.get("format"), gm.get("format"))
    for group in ("chairs", "guests"):
        compare_items(tally, seed, group, em.get(group) or [], gm.get(group) or [],
                      lambda p: person_key(p["name"]), lambda a, b: same_text(a.get("role", ""), b.get("role", "")))
    compare_value(tally, seed, "contributions", em.get("contributions"), gm.get("contributions"), lambda a, b: a == b)
    compare_items(tally, seed, "documents", em.get("documents") or [], gm.get("documents") or [],
                  lambda d: document_slug(str(d["number"])), lambda a, b: str(a.get("date")) == str(b.get("date")))
    compare_value(tally, seed, "byline", expected.get("author"), got.get("author"))
    compare_value(tally, seed, "source", expected.get("source"), got.get("source"))


def import_seed(seed: Path, expected: dict, workdir: Path) -> tuple[dict, list[str]]:
    """Import one seed with the real command into a fresh copy of the site data: (its front matter, the flags
    an editor had to add).  A seed without a publication date is imported again with --date, as the
    command asks; its date then counts as missed."""
    project = workdir / seed.stem
    (project / "content" / "bulletins").mkdir(parents=True)
    for name in ("units.yml", "categories.yml", "topics.yml"):
        shutil.copy(ROOT / "content" / name, project / "content" / name)
    command = [sys.executable, "-m", "generator", "import", str(seed), "--content-dir", "content", "--unit",
               expected["unit"], "--category", expected["category"], "--format", "json"]
    added: list[str] = []
    for _ in range(2):
        result = subprocess.run(command + added, cwd=project, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            report = json.loads(result.stdout)
        except ValueError:
            raise SystemExit(f"{seed.name}: bantin import failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        if report["written"]:
            return front_matter(project / report["written"][0]["path"]), added
        if added or not any("--date" in r["reason"] for r in report["not_written"]):
            raise SystemExit(f"{seed.name}: nothing written: {report['not_written']}")
        added = ["--date", str(expected["date"])[:10]]
    raise AssertionError("unreachable")


def table(tally: Tally) -> list[str]:
    lines = ["| field | correct | wrong | missed |", "|---|---:|---:|---:|"]
    for name in FIELDS:
        c, w, m = (tally.counts[(name, v)] for v in ("correct", "wrong", "missed"))
        lines.append(f"| {name} | {c} | {w} | {m} |")
    total = [sum(tally.counts[(n, v)] for n in FIELDS) for v in ("correct", "wrong", "missed")]
    lines.append(f"| **all** | **{total[0]}** | **{total[1]}** | **{total[2]}** |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="folder of the seed texts")
    ap.add_argument("--no-readme", action="store_true", help="do not write bench/README.md")
    args = ap.parse_args()
    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"no seed texts in {args.seeds}")
    tally, pairs = Tally(), []
    with tempfile.TemporaryDirectory(prefix="bantin-import-bench-") as tmp:
        for seed in seeds:
            path, expected = hand_made(seed, ROOT / "content" / "bulletins")
            got, added = import_seed(seed, expected, Path(tmp))
            pairs.append(f"`{seed.name}` → `{path.relative_to(ROOT).as_posix()}`"
                         + (f" (with `{' '.join(added)}`)" if added else ""))
            compare(tally, seed.name, expected, got, bool(added))
    goal_wrong = [n for n in tally.notes if n.split(": ", 1)[1].split(" ", 1)[0] in GOAL]
    command = "python bench/import_accuracy.py" + ("" if args.seeds == SEEDS else f" --seeds {shlex.quote(str(args.seeds))}")
    lines = [f"Command: `{command}` ({len(seeds)} seeds; each imported by `bantin import SEED --unit U --category C`).",
             "", *table(tally), "",
             "Goal (every chair and guest with the right role, every document number and date, the contribution "
             "count and the byline right on all five): " + ("**met**." if not goal_wrong else "**missed**."), "",
             "Seeds and the hand-made bulletins they were compared with: " + "; ".join(pairs) + ".", ""]
    if tally.notes:
        lines += ["Not correct:", ""] + [f"- {n}" for n in tally.notes] + [""]
    text = "\n".join(lines)
    print(text)
    if not args.no_readme:
        write_readme(text, START_MARK, END_MARK, "Import accuracy")


if __name__ == "__main__":
    main()
