"""The CSRC source: its spider on saved answers, its reader on real decisions."""
