"""Tests of the sources registry; each source's own tests are in its folder, beside its saved responses."""
