"""Tests of the crawl machinery every source uses."""
