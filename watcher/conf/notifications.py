"""Options of watcher's own versioned notifications.

Where and how notifications travel (driver, topics, transport) is configured
in oslo.messaging's ``[oslo_messaging_notifications]`` group; this module only
adds the lowest priority watcher emits.
"""
from oslo_config import cfg

LEVELS = ('DEBUG', 'INFO', 'WARN', 'ERROR')

OPTS = [
    cfg.StrOpt('notification_level',
               default='INFO',
               choices=LEVELS + ('None',),
               help="Lowest priority of the versioned notifications watcher "
                    "emits (DEBUG, INFO, WARN or ERROR). 'None' turns "
                    "watcher's notifications off."),
]


def register_opts(conf):
    conf.register_opts(OPTS)


def list_opts():
    return [('DEFAULT', OPTS)]
