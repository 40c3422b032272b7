"""Does a small trained NER find institution names the rules miss? A measured experiment, not a shipped model.

The question (issue "Chinese extraction … measured"): institution names in running text that no suffix rule catches,
such as 太平财险, 安邦产险台州中支. Train a spaCy NER on sentences generated from the structured fields of the real
records (tests/fixtures/real/cbrc_2016_penalties_100.csv: party, authority, facts, amount, with abbreviations made
from the party's name), then count, on real running text the model never saw, the ORG mentions a person annotated
(ORG_GOLD below) that each method finds:

- rules: the ORG component's suffix patterns alone;
- rules + declared names: plus the parties and the abbreviations the document itself declares (以下简称), as
  `regkb parse` runs;
- model: the trained NER alone; and rules + declared names + model.

Run: .venv/bin/python bench/ner_experiment.py   (about a minute; prints the table; writes nothing)
The model is kept only if it helps; see the closing lines of the output.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import spacy
from spacy.training import Example

from nlp.spacy_pipeline import analyse, regkb_nlp
from pipeline.files import analyse_file

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "tests" / "fixtures" / "real" / "cbrc_2016_penalties_100.csv"
REAL = ROOT / "tests" / "fixtures" / "real"

# Every ORG mention in the text of these real documents, read by hand (text, number of occurrences). In 35号:
# 太平财产保险有限公司 as the party, in 时任…总经理 and before 以下简称 (not inside the product title 《…条款》);
# 太平财险 seven times on its own (once as 太平财险责信险部's organisation), twice within 太平财险上海分公司.
ORG_GOLD = {
    "decision_taiping_2021_35_full.txt": {"太平财产保险有限公司": 3, "太平财险": 7, "某租赁公司": 2,
                                          "太平财险上海分公司": 2},
    "decision_zhe_2007_2_dual_party_head.txt": {"安邦财产保险股份有限公司台州中心支公司": 1, "安邦产险台州中支": 2},
    "decision_yu_2013_46_head.txt": {"中国人寿保险股份有限公司重庆市分公司": 2},
}


def abbreviations(name: str) -> list[str]:
    """Short forms decisions use for a party, made by rule from its full name (training data only)."""
    forms = {re.sub(r"(股份有限公司|有限责任公司|有限公司)", "", name)}
    forms |= {form.replace("农村商业银行", "农商行") for form in forms}
    forms |= {form.replace("中国", "", 1) for form in forms if form.startswith("中国")}
    return sorted(form for form in forms if form != name and len(form) >= 3)


TEMPLATES = [
    "经查，{org}存在{facts}的违法行为。",
    "{authority}对{org}罚款人民币{amount}元。",
    "{org}（以下简称{short}）{facts}。",
    "对{short}罚款{amount}元；",
    "{short}存在{facts}的问题。",
    "根据有关规定，{authority}决定对{short}作出行政处罚。",
]


def training_examples(nlp, seed: int = 7) -> list[Example]:
    random.seed(seed)
    with open(RECORDS, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    examples = []
    for record in records:
        org = record["当事人"]
        for short in abbreviations(org) or [org]:
            for template in TEMPLATES:
                values = {"org": org, "short": short, "authority": record["处理机构"],
                          "facts": record["违规事实"].rstrip("。"), "amount": record["罚没金额（元）"] or "1"}
                text, spans = "", []
                for piece in re.split(r"(\{\w+\})", template):
                    key = piece[1:-1] if piece.startswith("{") else None
                    value = values[key] if key else piece
                    if key in ("org", "short"):
                        spans.append((len(text), len(text) + len(value), "ORG"))
                    text += value
                doc = nlp.make_doc(text)
                entities = [(s, e, label) for s, e, label in spans if doc.char_span(s, e) is not None]
                examples.append(Example.from_dict(doc, {"entities": entities}))
    random.shuffle(examples)
    return examples


def train(iterations: int = 15):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ner = nlp.add_pipe("ner")
    ner.add_label("ORG")
    examples = training_examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(iterations):
        random.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp, len(examples)


def found(mentions: list[str], gold: dict[str, int]) -> tuple[int, int]:
    """(true positives, false positives) of predicted ORG mention texts against the gold counts."""
    remaining = dict(gold)
    tp = fp = 0
    for text in mentions:
        if remaining.get(text, 0) > 0:
            remaining[text] -= 1
            tp += 1
        else:
            fp += 1
    return tp, fp


def main() -> None:
    regkb_nlp()
    model, size = train()
    rows = {"rules": [0, 0], "rules + declared names": [0, 0], "model": [0, 0], "rules + declared names + model": [0, 0]}
    support = sum(sum(g.values()) for g in ORG_GOLD.values())
    for name, gold in ORG_GOLD.items():
        analysis = analyse_file(REAL / name)
        text = analysis.text
        rules = [e.text for e in analyse(text).ents if e.label_ == "ORG"]
        declared = [e.text for e in analysis.entities if e.label == "ORG"]
        learned = [e.text for e in model(text).ents if e.label_ == "ORG"]
        spans = {(e.start, e.end) for e in analysis.entities if e.label == "ORG"}
        combined = declared + [e.text for e in model(text).ents
                               if e.label_ == "ORG" and not any(s < e.end_char and e.start_char < t for s, t in spans)]
        for row, mentions in zip(rows, (rules, declared, learned, combined)):
            tp, fp = found(mentions, gold)
            rows[row][0] += tp
            rows[row][1] += fp
    print(f"trained on {size} sentences generated from {RECORDS.name}; {support} gold ORG mentions in real text\n")
    print(f"{'method':<34}{'precision':>10}{'recall':>8}{'F1':>7}")
    scores = {}
    for row, (tp, fp) in rows.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / support
        f = 2 * p * r / (p + r) if p + r else 0.0
        scores[row] = f
        print(f"{row:<34}{p:>10.3f}{r:>8.3f}{f:>7.3f}")
    helps = scores["rules + declared names + model"] > scores["rules + declared names"]
    print("\nthe model", "helps: keep it" if helps else "does not help over rules + declared names: not shipped")


if __name__ == "__main__":
    main()
