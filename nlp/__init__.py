"""Extraction, knowing no source: formats/ (bytes → grids and lines), layouts/ (tables, registers, decision texts, free
text → fields), fields/ (amounts, sanctions, parties, authorities, laws, categories), and the typed records they give
(records.py; the decision's declared shape, schema.py)."""
