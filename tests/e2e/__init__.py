"""End to end: the command, the demo, the Python API, the exports, the notebooks."""
