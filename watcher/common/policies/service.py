"""Policy rules of /v1/services."""
from watcher.common.policies import base

rules = base.read_rules('service', 'services', 'service_ident')


def list_rules():
    return rules
