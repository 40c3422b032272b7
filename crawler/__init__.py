"""Fetching, for any source: the base spider, the raw archive, politeness and retries, anti-bot walls, the loopback
mirror. Knows no particular regulator (sources/ does) and reads nothing (nlp/ does)."""
