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

"""Sphinx extension: reference pages generated from watcher's plugins.

At ``builder-inited`` it loads every goal and strategy registered under the
``watcher_goals`` and ``watcher_strategies`` entry points (stevedore, as the
decision engine does) and writes one page per plugin under
``plugins/goals/`` and ``plugins/strategies/`` of the source tree. A
plugin added to ``setup.cfg`` therefore gets its page with no doc change,
and a plugin that cannot be loaded fails the build.

Directives for hand-written pages:

``.. watcher-metric-map::``
    the table of metric names each datasource plugin queries;
``.. watcher-notification-payloads::``
    the versioned payload classes of the notifications with their fields.
"""
import ast
import importlib
import inspect
import json
import os
import pkgutil
import sys

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils import statemachine
import stevedore

from watcher.conf import opts as conf_opts
from watcher.decision_engine.strategy.common import actions as action_helpers
from watcher import notifications
from watcher.notifications import base as notification_base

GOALS = 'watcher_goals'
STRATEGIES = 'watcher_strategies'
DATASOURCES = 'watcher_datasources'


def _plugins(namespace):
    manager = stevedore.ExtensionManager(
        namespace=namespace, invoke_on_load=False,
        on_load_failure_callback=_fail)
    return sorted(((ext.name, ext.plugin) for ext in manager),
                  key=lambda item: item[0])


def _fail(manager, entrypoint, exc):
    raise RuntimeError('plugin %s cannot be loaded: %s' % (entrypoint, exc))


def _title(text, char='='):
    line = char * len(text)
    return [line, text, line, ''] if char == '=' else [text, line, '']


def _indent(text, by='   '):
    return [by + line if line else '' for line in text.splitlines()]


def _doc_of(cls):
    """The module docstring (strategies explain themselves there), else
    the class docstring.
    """
    return (inspect.getdoc(sys.modules[cls.__module__])
            or inspect.getdoc(cls) or '')


# -- actions a strategy can put in a plan -----------------------------------

def _helper_action_types(name, seen=None):
    """Action types behind ``actions.<name>``: a constant is its value, a
    helper function the constants (and helpers) its code refers to.
    """
    seen = set() if seen is None else seen
    if name in seen:
        return set()
    seen.add(name)
    value = getattr(action_helpers, name, None)
    if isinstance(value, str):
        return {value} if name.isupper() and not name.startswith(
            'WATCHER_') else set()
    if inspect.isfunction(value):
        found = set()
        for ref in value.__code__.co_names:
            found |= _helper_action_types(ref, seen)
        return found
    return set()


COMMON_PACKAGE = 'watcher.decision_engine.strategy.common'


def _action_types_in(tree, namespace, seen):
    """Action types referred to by ``tree`` (a module or function AST whose
    global names are ``namespace``), following the shared helper modules
    of ``strategy.common`` into the functions it calls.
    """
    found = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)):
            continue
        module = namespace.get(node.value.id)
        if module is action_helpers:
            found |= _helper_action_types(node.attr)
            continue
        if not (inspect.ismodule(module)
                and module.__name__.startswith(COMMON_PACKAGE)):
            continue
        func = getattr(module, node.attr, None)
        if inspect.isfunction(func) and func not in seen:
            seen.add(func)
            found |= _action_types_in(ast.parse(
                inspect.cleandoc('\n' + inspect.getsource(func))),
                vars(module), seen)
    return found


def strategy_action_types(cls):
    """Action types the strategy's plans can hold, read from the helpers of
    ``strategy.common`` its module calls; None when the strategy takes its
    actions from its parameters.
    """
    module = sys.modules[cls.__module__]
    found = _action_types_in(ast.parse(inspect.getsource(module)),
                             vars(module), set())
    return sorted(found) or None


# -- page bodies ------------------------------------------------------------

def strategy_options(name, cls):
    """The options of ``[watcher_strategies.<name>]``: those watcher's
    configuration registers for the strategy, then the plugin's own.
    """
    group = 'watcher_strategies.%s' % name
    found = {}
    for owner, opts in conf_opts.list_opts():
        if getattr(owner, 'name', owner) == group:
            found.update((opt.dest, opt) for opt in opts)
    for opt in cls.get_config_opts() or ():
        found.setdefault(opt.dest, opt)
    return list(found.values())


def _schema_lines(schema):
    props = (schema or {}).get('properties') or {}
    if not props:
        return ['This strategy takes no parameters.', '']
    lines = ['.. list-table::', '   :header-rows: 1',
             '   :widths: 20 12 20 48', '',
             '   * - parameter', '     - type', '     - default',
             '     - description']
    for name in sorted(props):
        spec = props[name]
        kind = spec.get('type', '')
        if isinstance(kind, list):
            kind = ' or '.join(kind)
        default = spec.get('default', '')
        default = ('``%s``' % json.dumps(default)) if 'default' in spec \
            else '(required)' if name in schema.get('required', ()) else ''
        desc = ' '.join(str(spec.get('description', '')).split())
        lines += ['   * - ``%s``' % name, '     - %s' % (kind or 'any'),
                  '     - %s' % default, '     - %s' % (desc or '')]
    lines += ['', 'Full JSON schema:', '', '.. code-block:: json', '']
    lines += _indent(json.dumps(schema, indent=2, sort_keys=True))
    return lines + ['']


def strategy_page(name, cls):
    lines = ['.. This page is generated by doc/source/_ext/'
             'watcher_plugins.py from the plugin; edit the strategy.', '']
    lines += _title('%s (%s)' % (cls.get_display_name() or name, name))
    lines += ['.. list-table::', '   :stub-columns: 1', '',
              '   * - strategy', '     - ``%s``' % name,
              '   * - goal', '     - :doc:`../goals/%s`' % cls.get_goal_name(),
              '   * - class', '     - ``%s.%s``' % (cls.__module__,
                                                    cls.__name__),
              '   * - planner', '     - ``%s``' % getattr(cls, 'planner', ''),
              '   * - data models', '     - %s' % ', '.join(
                  '``%s``' % m for m in getattr(cls, 'required_models', ())),
              '']
    doc = _doc_of(cls)
    if doc:
        lines += _title('Description', '-') + doc.splitlines() + ['']
    lines += _title('Parameters', '-') + _schema_lines(cls.get_schema())
    metrics = getattr(cls, 'metric_names', ())
    lines += _title('Metrics', '-')
    if metrics:
        lines += ['Read from the configured datasource (see '
                  ':doc:`/admin/datasources` for each one\'s query):', '']
        lines += ['* ``%s``' % m for m in metrics] + ['']
    else:
        lines += ['None: the strategy works on the data models alone.', '']
    lines += _title('Actions', '-')
    types = strategy_action_types(cls)
    if types:
        lines += ['Action types its plans can contain (see '
                  ':doc:`/user/applier`):', '']
        lines += ['* ``%s``' % t for t in types] + ['']
    else:
        lines += ['The actions are given in the audit parameters.', '']
    opts = strategy_options(name, cls)
    if opts:
        lines += _title('Configuration', '-')
        lines += ['Options of the ``[watcher_strategies.%s]`` group (see '
                  ':doc:`/configuration/config`):' % name, '']
        for opt in opts:
            lines += ['``%s`` (default ``%r``)' % (opt.dest, opt.default)]
            lines += _indent(' '.join((opt.help or '').split()) or '-')
        lines += ['']
    return '\n'.join(lines) + '\n'


def goal_page(name, cls, strategies):
    lines = ['.. This page is generated by doc/source/_ext/'
             'watcher_plugins.py from the plugin; edit the goal.', '']
    lines += _title('%s (%s)' % (cls.get_display_name() or name, name))
    doc = inspect.getdoc(cls)
    if doc:
        lines += doc.splitlines() + ['']
    lines += _title('Efficacy indicators', '-')
    spec = cls.get_efficacy_specification()
    indicators = spec.serialize_indicators_specifications()
    if indicators:
        lines += ['.. list-table::', '   :header-rows: 1', '',
                  '   * - indicator', '     - unit', '     - description']
        for ind in indicators:
            lines += ['   * - ``%s``' % ind['name'],
                      '     - %s' % (ind.get('unit') or ''),
                      '     - %s' % ' '.join(
                          str(ind.get('description') or '').split())]
        lines += ['']
    else:
        lines += ['This goal defines no efficacy indicator.', '']
    lines += _title('Strategies', '-')
    mine = [s for s, c in strategies if c.get_goal_name() == name]
    if mine:
        lines += ['* :doc:`../strategies/%s`' % s for s in mine] + ['']
        default = getattr(cls, 'default_strategy', None)
        if default not in mine:
            default = mine[0]
        lines += ['An audit that names only this goal runs '
                  ':doc:`../strategies/%s`.' % default, '']
    else:
        lines += ['No strategy achieves this goal yet.', '']
    return '\n'.join(lines) + '\n'


def _write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, 'w') as f:
        f.write(text)


def _sync_dir(path, pages):
    os.makedirs(path, exist_ok=True)
    for stale in set(os.listdir(path)) - set(pages):
        if stale.endswith('.rst'):
            os.remove(os.path.join(path, stale))
    for fname, text in pages.items():
        _write_if_changed(os.path.join(path, fname), text)


def generate(app):
    root = os.path.join(app.srcdir, 'plugins')
    strategies = _plugins(STRATEGIES)
    goals = _plugins(GOALS)
    _sync_dir(os.path.join(root, 'strategies'),
              {'%s.rst' % n: strategy_page(n, c) for n, c in strategies})
    _sync_dir(os.path.join(root, 'goals'),
              {'%s.rst' % n: goal_page(n, c, strategies) for n, c in goals})


# -- directives -------------------------------------------------------------

class _Generated(Directive):
    def lines(self):
        raise NotImplementedError

    def run(self):
        container = nodes.section()
        content = statemachine.StringList(
            self.lines(), source='<%s>' % self.name)
        self.state.nested_parse(content, self.content_offset, container)
        return container.children


class MetricMap(_Generated):
    """One table: the metric each datasource queries for every generic
    metric name the strategies use.
    """

    def lines(self):
        sources = [(n, c) for n, c in _plugins(DATASOURCES)
                   if getattr(c, 'METRIC_MAP', None)]
        metrics = sorted({m for _, c in sources for m in c.METRIC_MAP})
        out = ['.. list-table::', '   :header-rows: 1', '',
               '   * - metric']
        out += ['     - %s' % n for n, _ in sources]
        for metric in metrics:
            out.append('   * - ``%s``' % metric)
            for _, cls in sources:
                query = cls.METRIC_MAP.get(metric)
                query = ' '.join(str(query).split()) if query else ''
                out.append('     - ``%s``' % query if query else '     -')
        return out + ['']


class NotificationPayloads(_Generated):
    """Every versioned payload class of ``watcher.notifications``."""

    def lines(self):
        base = notification_base
        classes = {}
        for mod in pkgutil.iter_modules(notifications.__path__):
            module = importlib.import_module('watcher.notifications.%s'
                                             % mod.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (issubclass(cls, base.NotificationPayloadBase)
                        and cls is not base.NotificationPayloadBase
                        and cls.__module__ == module.__name__):
                    classes[cls.__name__] = cls
        out = []
        for name in sorted(classes):
            cls = classes[name]
            out += ['.. rubric:: %s %s' % (name, cls.VERSION), '',
                    '.. list-table::', '   :header-rows: 1', '',
                    '   * - field', '     - type']
            for field in sorted(cls.fields):
                out += ['   * - ``%s``' % field,
                        '     - %s' % type(cls.fields[field]).__name__]
            out += ['']
        return out


def setup(app):
    app.connect('builder-inited', generate)
    app.add_directive('watcher-metric-map', MetricMap)
    app.add_directive('watcher-notification-payloads', NotificationPayloads)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
