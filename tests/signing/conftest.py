"""The signing fixtures live in tests/signing_fixtures.py, loaded for the whole suite by tests/conftest.py."""
