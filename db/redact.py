"""Corrections and removals of people's names, applied at every build: a person named in a decision may ask to be
removed (or a court may order it), and regkb honours it in the base it publishes, while the archive keeps what was
published.

The list is a YAML file (``data/redactions.yaml``, or ``$REGKB_REDACTIONS``), one entry per name::

    - name: 张雄师                 # the name as published
      replace_with: 张某某         # optional: the surname and 某 for each other character
      decision_id: nfra:9100002    # optional: only in this decision (else everywhere)
      reason: removal request of 2026-12-01, granted

Every text column of every table is rewritten (the decision, its parties, sanctions, mentions, entities, the
document's text as shown), before the search index is built; the ``redactions`` table records what was applied
(its reason, where, how many values changed), never the name itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
import yaml


class BadRedactions(ValueError):
    pass


@dataclass(frozen=True)
class Redaction:
    name: str
    replace_with: str
    reason: str
    decision_id: str | None = None


def read_redactions(path: Path | None) -> list[Redaction]:
    """The redactions listed at ``path`` (none when there is no file); BadRedactions naming the entry at fault."""
    if path is None or not Path(path).is_file():
        return []
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise BadRedactions(f"{path}: a list of entries (- name: …) is expected")
    out = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise BadRedactions(f"{path}: entry {number} has no name")
        if not str(entry.get("reason") or "").strip():
            raise BadRedactions(f"{path}: entry {number} ({entry['name']}) says no reason: every removal is recorded")
        name = str(entry["name"]).strip()
        out.append(Redaction(name, str(entry.get("replace_with") or name[0] + "某" * (len(name) - 1)),
                             str(entry["reason"]).strip(), entry.get("decision_id")))
    return out


def apply_redactions(db: sqlite_utils.Database, redactions: list[Redaction]) -> None:
    """Rewrite the names everywhere (or in the one decision) and record what was done."""
    texts = {table.name: [column.name for column in table.columns if column.type.upper() == "TEXT"]
             for table in db.tables if not table.name.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize",
                                                                  "_fts_config", "_fts_content"))
             and table.name != "redactions"}
    applied = []
    for redaction in redactions:
        changed = 0
        for table, columns in texts.items():
            table_columns = db.table(table).columns_dict
            scope, params = "", []
            if redaction.decision_id:
                if "decision_id" in table_columns:
                    scope, params = " and decision_id = ?", [redaction.decision_id]
                elif table == "raw_documents":
                    scope, params = " and sha256 in (select raw_sha256 from decisions where decision_id = ?)", \
                        [redaction.decision_id]
                else:
                    continue
            for column in columns:
                cursor = db.execute(f"update [{table}] set [{column}] = replace([{column}], ?, ?)"
                                    f" where instr([{column}], ?) > 0{scope}",
                                    [redaction.name, redaction.replace_with, redaction.name, *params])
                changed += cursor.rowcount
        applied.append({"redaction_id": len(applied) + 1, "reason": redaction.reason,
                        "decision_id": redaction.decision_id, "replace_with": redaction.replace_with,
                        "values_changed": changed})
    if applied:
        db.table("redactions").insert_all(applied, pk="redaction_id")
