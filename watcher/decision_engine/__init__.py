"""The decision engine: cluster models, strategies, goals, planners.

The pure-computation half (``model``, ``strategy``, ``goal``, ``solution``,
``planner``, ``scoring``, ``datasources.frame``) never talks to a service;
collectors, datasources and the audit pipeline feed it and consume its
output.
"""
