"""The PBOC source: its spider on saved real pages (responses/) and the demo sites."""
