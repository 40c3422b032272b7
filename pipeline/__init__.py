"""Archive → analyses: each archived body read once by its source's reader (extract.py), a file on disk by whichever
reader recognises it (files.py, `regkb parse`), and the gold set scored (evaluate.py, `regkb evaluate`)."""
