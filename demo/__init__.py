"""Demo data and the starting configuration of a new installation."""
