"""regkb's tests, by layer (sources/, crawler/, nlp/, pipeline/, db/, web/, e2e/); shared helpers in conftest.py."""
