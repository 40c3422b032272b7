"""The database: its shape declared once (shape.py), idempotent loaders (load.py), the atomic build (build.py), Chinese
search (search.py) and what a precedent is (precedents.py)."""
