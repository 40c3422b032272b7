"""Layout readers: grids and lines → the fields of a decision, by how it is laid out: a disclosure table (table.py), a
register of decisions (register.py), a full-text decision (fulltext.py), free text reporting penalties (freetext.py)."""
