"""Format readers: a document's bytes → its tables as grids (grid.py) and its text as lines, whatever the office format
(Word HTML, .docx, .doc, .xlsx, .xls, .pdf); attachments.py tells the format from the bytes."""
