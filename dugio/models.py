"""The rows of this app (issue 17)."""
