"""Score the extractor against hand annotations: precision, recall and F1 per field.

The gold set is a folder with ``documents/`` and one or more ``*.yaml`` files of annotations (tests/gold/README.md).
A field is scored only on documents whose annotation has that key. Scalar fields (province, decision_no, …) count a
right value as a true positive, a wrong one as both a false positive and a false negative, a value where the document
gives none (annotated null) as a false positive. Set fields (parties, fines, legal basis, categories, mentions)
compare the annotated and extracted sets item by item.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nlp.output import document_json
from nlp.records import Unparseable
from pipeline.files import analyse_path

SCALARS = ("doc_type", "decision_no", "authority_id", "authority_level", "province", "city", "decision_date")
SETS = ("parties", "fines", "sanctions", "citations", "categories", "mentions")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    documents: int = 0
    scores: dict[str, Score] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)        # file: what went wrong, per mismatch
    failed: int = 0          # documents regkb could not read at all (an error instead of a result)
    right: int = 0           # annotated values extracted right (a value, an item of a set, a null left null)
    judged: int = 0          # annotated values, and extracted values no annotation has

    @property
    def fields_right(self) -> float:
        return self.right / self.judged if self.judged else 1.0

    def table(self) -> str:
        lines = [f"{'field':<16}{'precision':>10}{'recall':>10}{'F1':>8}{'support':>9}"]
        for name in (*SCALARS, *SETS):
            if name in self.scores:
                s = self.scores[name]
                lines.append(f"{name:<16}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}{s.tp + s.fn:>9}")
        lines.append(f"fields right: {self.right} of {self.judged} ({self.fields_right:.1%}); documents that gave an "
                     f"error instead of a result: {self.failed} of {self.documents}")
        return "\n".join(lines)


def _items(record: dict, name: str) -> Counter:
    parties = record.get("parties") or []
    if name == "parties":
        return Counter((p["name"], p["kind"]) for p in parties)
    if name == "fines":
        return Counter((p["name"], float(p["fine_yuan"])) for p in parties if p.get("fine_yuan") is not None)
    if name == "sanctions":
        return Counter((p["name"], s if isinstance(s, str) else s["type"]) for p in parties
                       for s in p.get("sanctions") or [])
    if name == "citations":
        cited = record.get("citations") or []
        if cited and isinstance(cited[0], dict):   # extractor output: [{law, article, clause}]
            return Counter(list(dict.fromkeys((c["law"], c["article"]) for c in cited)))   # each article once
        return Counter((law, article) for law, article in cited)
    if name == "categories":
        return Counter(record.get("categories") or [])
    if name == "mentions":
        mentions = record.get("mentions") or []
        if mentions and isinstance(mentions[0], dict):
            return Counter((m["target"], m["sanction"], m["amount_yuan"] and float(m["amount_yuan"]))
                           for m in mentions)
        return Counter((t, s, a and float(a)) for t, s, a in mentions)
    raise KeyError(name)


def repository_root(folder: Path) -> Path:
    """The checkout a gold folder is in (the nearest folder above it holding pyproject.toml)."""
    for candidate in (folder.resolve(), *folder.resolve().parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate
    return Path.cwd()


def document_of(gold_dir: Path, annotation: dict) -> Path:
    """The annotated document: ``path`` names it within the repository (a demo document, a fixture: the gold set
    copies none), ``file`` within the gold folder's documents/ (a document of the gold set's own)."""
    if "path" in annotation:
        return repository_root(gold_dir) / annotation["path"]
    return gold_dir / "documents" / annotation["file"]


def gold_sets(gold_dir: Path | str) -> dict[str, Path]:
    """The sets of a gold folder: its ``dev/`` and ``test/`` (rules may be written against dev, not test), or the
    folder itself when it holds annotations of its own."""
    gold_dir = Path(gold_dir)
    sets = {folder.name: folder for folder in sorted(gold_dir.iterdir()) if folder.is_dir() and any(folder.glob("*.yaml"))}
    return sets or {gold_dir.name: gold_dir}


def evaluate(gold_dir: Path | str) -> Report:
    gold_dir = Path(gold_dir)
    annotations = [a for path in sorted(gold_dir.glob("*.yaml"))
                   for a in (yaml.safe_load(path.read_text(encoding="utf-8")) or [])]
    if not annotations:
        raise FileNotFoundError(f"no annotations (*.yaml) in {gold_dir}")
    report = Report(scores={name: Score() for name in (*SCALARS, *SETS)})
    for gold in annotations:
        path = document_of(gold_dir, gold)
        document = gold.get("path") or gold["file"]
        try:
            predicted = document_json(analyse_path(path))
        except Unparseable as error:
            predicted = {"doc_type": "penalty", "parties": []}
            report.failed += 1
            report.errors.append(f"{document}: unparseable: {error}")
        report.documents += 1
        for name in SCALARS:
            if name not in gold:
                continue
            expected, got, score = gold[name], predicted.get(name), report.scores[name]
            report.judged += 1
            if got == expected:
                report.right += 1
            if expected is not None and got == expected:
                score.tp += 1
            elif expected is None and got is None:
                continue
            else:
                if got is not None:
                    score.fp += 1
                if expected is not None:
                    score.fn += 1
                report.errors.append(f"{document}: {name} {got!r} ≠ {expected!r}")
        for name in SETS:
            key = "parties" if name in ("fines", "sanctions") else name
            if key not in gold:
                continue
            expected, got, score = _items(gold, name), _items(predicted, name), report.scores[name]
            report.right += sum((expected & got).values()) + (not expected and not got)
            report.judged += sum((expected | got).values()) or 1   # an empty set annotated: one value
            score.tp += sum((expected & got).values())
            score.fp += sum((got - expected).values())
            score.fn += sum((expected - got).values())
            if expected != got:
                report.errors.append(f"{document}: {name} extra {sorted((got - expected).elements(), key=repr)} "
                                     f"missing {sorted((expected - got).elements(), key=repr)}")
    return report
