"""Settings: `base` for every deployment (configured by the environment), `test` for the suite."""
