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

"""stevedore helpers for the decision engine's plugins.

* ``load(namespace, name, **kwargs)`` - the plugin *instance*
  (``cls(**kwargs)``); raises ``exception.LoadingError``.
* ``get_class(namespace, name)`` - the plugin class; ``LoadingError``.
* ``list_available(namespace) -> dict name -> class`` (plugins that fail
  to import are skipped, with a warning).
* Namespaces: ``GOALS``, ``STRATEGIES``, ``PLANNERS``, ``SCORING_ENGINES``,
  ``SCORING_ENGINE_CONTAINERS``.
"""
import logging

from stevedore import driver
from stevedore import extension

from watcher.common import exception

LOG = logging.getLogger(__name__)

GOALS = 'watcher_goals'
STRATEGIES = 'watcher_strategies'
PLANNERS = 'watcher_planners'
SCORING_ENGINES = 'watcher_scoring_engines'
SCORING_ENGINE_CONTAINERS = 'watcher_scoring_engine_containers'

_class_cache = {}


def get_class(namespace, name):
    key = (namespace, name)
    cls = _class_cache.get(key)
    if cls is not None:
        return cls
    try:
        manager = driver.DriverManager(namespace=namespace, name=name,
                                       invoke_on_load=False)
    except Exception as exc:
        LOG.debug('Cannot load %s from %s: %s', name, namespace, exc)
        raise exception.LoadingError(name=name)
    cls = manager.driver
    _class_cache[key] = cls
    return cls


def load(namespace, name, **kwargs):
    cls = get_class(namespace, name)
    try:
        return cls(**kwargs)
    except exception.WatcherException:
        raise
    except Exception as exc:
        LOG.exception('Cannot instantiate %s from %s', name, namespace)
        raise exception.LoadingError(name=name) from exc


def _on_load_failure(manager, entrypoint, exc):
    LOG.warning('Cannot load plugin %s: %s', entrypoint, exc)


def list_available(namespace):
    manager = extension.ExtensionManager(
        namespace=namespace, invoke_on_load=False,
        on_load_failure_callback=_on_load_failure)
    return {ext.name: ext.plugin for ext in
            sorted(manager.extensions, key=lambda e: e.name)}


def list_opts():
    """Options the strategy plugins declare, for oslo-config-generator
    (namespace ``watcher.plugins``): one ``[watcher_strategies.<name>]``
    group per installed strategy with its ``get_config_opts()``.
    """
    listing = []
    for name, strategy in sorted(list_available(STRATEGIES).items()):
        opts = list(strategy.get_config_opts() or ())
        if opts:
            listing.append(('watcher_strategies.%s' % name, opts))
    return listing
