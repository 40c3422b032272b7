"""The web layer: the Datasette regkb serve runs, in process and in Chromium."""
