"""Option listing for oslo-config-generator (namespace 'watcher')."""
from watcher import conf


def list_opts():
    listing = []
    for module in conf.MODULES:
        listing.extend(module.list_opts())
    return listing
