"""The simulated cloud's state and behaviour, one module per service; the
HTTP APIs in front of it are the modules of :mod:`watcher.simulator`.
See :mod:`watcher.simulator.cloud.core`.
"""
