"""[database] options beyond oslo.db's own."""
from oslo_config import cfg
from oslo_db import options as db_options

GROUP = cfg.OptGroup('database', title='Database options')

OPTS = [
    cfg.StrOpt('mysql_engine', default='InnoDB',
               help='MySQL engine used for new tables.'),
]

_DEFAULT_CONNECTION = 'sqlite:///watcher.sqlite'


def register_opts(conf):
    db_options.set_defaults(conf, connection=_DEFAULT_CONNECTION)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]
