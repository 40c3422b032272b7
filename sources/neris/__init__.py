"""NERIS, the CSRC's law database: its regulations and its enforcement writs with the articles each applied (see
README.md here)."""
