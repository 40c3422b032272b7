"""Tests of archive → analyses, regkb parse and the gold set's scores."""
