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

"""Loading of the applier's plugins through stevedore.

* action plugins: namespace ``watcher_actions`` (one entry point per action
  type, e.g. ``migrate``); :func:`get_action_class`,
  :func:`list_action_types`, :func:`action_descriptions` (what
  ``watcher-sync``/decision-engine start-up records in the
  ``action_descriptions`` table);
* workflow engines: namespace ``watcher_workflow_engines``
  (``[watcher_applier] workflow_engine``, default ``taskflow``);
  :func:`load_workflow_engine`.

Classes are looked up once and cached (a plan of 500 actions loads each
action type once).
"""
import threading

from oslo_log import log
from stevedore import driver as sd_driver
from stevedore import extension as sd_extension

from watcher.common import exception
from watcher.conf import CONF

LOG = log.getLogger(__name__)

ACTIONS_NAMESPACE = 'watcher_actions'
ENGINES_NAMESPACE = 'watcher_workflow_engines'

_lock = threading.Lock()
_action_classes = {}
_engine_classes = {}


def _load_class(namespace, name, cache):
    with _lock:
        cls = cache.get(name)
        if cls is not None:
            return cls
        try:
            manager = sd_driver.DriverManager(namespace, name,
                                              invoke_on_load=False)
        except Exception as exc:
            LOG.error('Cannot load the %s plugin %s: %s', namespace, name,
                      exc)
            raise exception.LoadingError(name=name)
        cls = manager.driver
        if namespace == ACTIONS_NAMESPACE and not getattr(cls, 'name', None):
            cls.name = name
        cache[name] = cls
        return cls


def get_action_class(action_type):
    """The plugin class of ``action_type`` (``LoadingError`` if unknown)."""
    return _load_class(ACTIONS_NAMESPACE, action_type, _action_classes)


def load_action(action_type, input_parameters=None, **kwargs):
    """An action plugin instance ready to run."""
    cls = get_action_class(action_type)
    return cls(input_parameters=input_parameters, **kwargs)


def list_action_types():
    manager = sd_extension.ExtensionManager(ACTIONS_NAMESPACE,
                                            invoke_on_load=False)
    return sorted(manager.names())


def action_descriptions():
    """``{action_type: description}`` of every installed action plugin."""
    result = {}
    for name in list_action_types():
        try:
            result[name] = get_action_class(name).get_description()
        except exception.LoadingError:
            continue
    return result


def get_workflow_engine_class(name=None):
    name = name or CONF.watcher_applier.workflow_engine
    return _load_class(ENGINES_NAMESPACE, name, _engine_classes)


def load_workflow_engine(name=None, **kwargs):
    """An instance of the configured workflow engine."""
    return get_workflow_engine_class(name)(**kwargs)
