"""Tests of extraction: formats, layouts, fields, the entity pipeline."""
