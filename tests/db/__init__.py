"""Tests of the database build, its shape and loaders."""
