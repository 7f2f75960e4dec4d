# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Policy enforcement (oslo.policy) for the API."""
import logging
import threading

from oslo_config import cfg
from oslo_policy import policy

from watcher.common import exception
from watcher.common import policies

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

_ENFORCER = None
_LOCK = threading.Lock()


def init(policy_file=None, rules=None, default_rule=None, use_conf=True,
         overwrite=True, suppress_deprecation_warnings=False):
    """Build the process-wide Enforcer (once)."""
    global _ENFORCER
    if _ENFORCER is None:
        with _LOCK:
            if _ENFORCER is None:
                if use_conf and not _conf_parsed():
                    # Nothing parsed the command line (tests, library
                    # use): there is no policy file to look for.
                    use_conf = False
                enforcer = policy.Enforcer(
                    CONF, policy_file=policy_file, rules=rules,
                    default_rule=default_rule, use_conf=use_conf,
                    overwrite=overwrite)
                enforcer.suppress_deprecation_warnings = (
                    suppress_deprecation_warnings)
                enforcer.register_defaults(policies.list_rules())
                if not use_conf:
                    enforcer.set_rules(policy.Rules(
                        {rule.name: rule.check
                         for rule in policies.list_rules()}),
                        overwrite=True, use_conf=False)
                _ENFORCER = enforcer
    return _ENFORCER


def _conf_parsed():
    try:
        CONF.find_file('policy.yaml')
    except cfg.NotInitializedError:
        return False
    return True


def reset():
    global _ENFORCER
    if _ENFORCER is not None:
        _ENFORCER.clear()
    _ENFORCER = None


def get_enforcer():
    """Entry point of the oslopolicy-* tools (``oslo.policy.enforcer``)."""
    # The tools call this before anything parsed the configuration.
    CONF([], project='watcher')
    return init()


def authorize(rule, target, context, do_raise=True):
    """Check ``rule`` for ``context``; PolicyNotAuthorized (403) if denied."""
    enforcer = init()
    target = target if target is not None else {}
    credentials = context.to_policy_values()
    try:
        return enforcer.authorize(
            rule, target, credentials, do_raise=do_raise,
            exc=exception.PolicyNotAuthorized, action=rule)
    except policy.PolicyNotRegistered:
        raise exception.PolicyNotAuthorized(action=rule)
    except policy.InvalidScope:
        raise exception.PolicyNotAuthorized(action=rule)
    except exception.PolicyNotAuthorized:
        raise
    except Exception:
        # A broken rule (bad policy file) denies; it never becomes a 500.
        LOG.exception('Policy check %s failed', rule)
        raise exception.PolicyNotAuthorized(action=rule)


def check_is_admin(context):
    enforcer = init()
    return enforcer.authorize('context_is_admin', {},
                              context.to_policy_values(), do_raise=False)
