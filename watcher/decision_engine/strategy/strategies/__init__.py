"""The built-in strategies, one module each (entry points in setup.cfg)."""
