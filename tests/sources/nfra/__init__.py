"""The NFRA source: its spider on saved real answers (responses/)."""
