"""watcher's configuration: every option group registered on one CONF."""
from oslo_config import cfg

from watcher.conf import api
from watcher.conf import applier
from watcher.conf import clients
from watcher.conf import collector
from watcher.conf import database
from watcher.conf import datasources
from watcher.conf import decision_engine
from watcher.conf import default
from watcher.conf import notifications
from watcher.conf import planner
from watcher.conf import simulator
from watcher.conf import strategies

CONF = cfg.CONF

MODULES = (default, api, database, decision_engine, applier, planner,
           collector, datasources, clients, strategies, simulator,
           notifications)

for _module in MODULES:
    _module.register_opts(CONF)
