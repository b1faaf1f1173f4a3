"""Admin pages of this app: every model has one, scoped (tests/trungtam/test_admin.py)."""
