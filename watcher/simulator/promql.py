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

"""A small PromQL subset evaluated directly over the workload model.

Enough for every query Watcher's Prometheus/Aetos datasources send (the
queries are listed in ``doc/source/admin/datasources.rst``) and their
grouped forms, e.g.::

    100 - (avg by (fqdn)(rate(node_cpu_seconds_total{mode='idle'}[300s]))
           * 100)
    (node_memory_MemTotal_bytes{fqdn='h'}
     - avg_over_time(node_memory_MemAvailable_bytes{fqdn='h'}[300s])) / 1024
    clamp_max((avg by (resource)(rate(ceilometer_cpu{resource='u'}[300s]))
               /10e+8) *(100/2), 100)
    avg_over_time(ceilometer_memory_usage{resource='u'}[300s])

    max by (fqdn)(avg_over_time(ipmi_temperature_celsius
                  {name=~'(?i).*(outlet|exhaust).*'}[300s]))
    avg by (resource)(avg_over_time(ceilometer_cpu_l3_cache[100s]))

(line breaks added here; the real queries are on one line)

Series: the node exporter's CPU and memory and the ipmi exporter's
temperatures, airflow and DCMI power of every up host (labels ``fqdn``,
``instance``, ``job`` as the scrape target adds them); Ceilometer's CPU
time, memory and L3 cache of every running server (see
:mod:`watcher.simulator.exposition` for the labels).

Supported: number literals, ``+ - * /`` (scalar/vector and one-to-one
vector/vector matching on all labels but the name), parentheses, unary
minus, selectors with ``= != =~ !~`` matchers and ``[Ns|m|h|d]`` ranges,
``sum avg min max count`` with ``by``/``without`` (before or after the
argument), ``rate irate increase``,
``avg_ max_ min_ sum_ count_ last_over_time``,
``clamp_max clamp_min abs``.  Anything else is a ``bad_data`` error.

There is no stored history: ``rate(x[P])`` is the exact average rate of the
model over the last P seconds and ``*_over_time`` aggregates the model over
the window, which is what a Prometheus scraping ``/metrics`` converges to
once its window is full.
"""

import math
import re

from watcher.simulator import exposition
from watcher.simulator import metrics
from watcher.simulator import promql_parser as syntax


# ----------------------------------------------------------------- series

def _match(labels, matchers):
    for label, op, value in matchers:
        have = labels.get(label, '')
        if op == '=' and have != value:
            return False
        if op == '!=' and have == value:
            return False
        if op == '=~' and not re.fullmatch(value, have):
            return False
        if op == '!~' and re.fullmatch(value, have):
            return False
    return True


def _eq(matchers, label):
    for name, op, value in matchers:
        if name == label and op == '=':
            return value
    return None


class Series:
    """One time series of the model: labels + how to evaluate it."""

    __slots__ = ('labels', 'instant', 'window')

    def __init__(self, labels, instant, window):
        self.labels = labels
        self.instant = instant      # f(t) -> value
        self.window = window        # f(func, t0, t1) -> value


SERIES_NAMES = ('ceilometer_cpu', 'ceilometer_cpu_l3_cache',
                'ceilometer_memory_usage', 'ipmi_dcmi_power_consumption_watts',
                'ipmi_sensor_value', 'ipmi_temperature_celsius',
                'node_cpu_seconds_total', 'node_memory_MemAvailable_bytes',
                'node_memory_MemTotal_bytes')
#: the gauges: rate() and friends over them are 0
GAUGES = frozenset(SERIES_NAMES) - {'ceilometer_cpu',
                                    'node_cpu_seconds_total'}


class Store:
    """Series of the cloud, enumerated lazily per query."""

    def __init__(self, cloud, instance_label='simulator:9100'):
        self.cloud = cloud
        self.instance_label = instance_label
        self.memo = {}

    def host_labels(self, host):
        return {'fqdn': host.fqdn, 'instance': '%s:9100' % host.fqdn,
                'job': 'node'}

    def _hosts(self, matchers):
        cloud = self.cloud
        fqdn = _eq(matchers, 'fqdn')
        if fqdn is not None:
            host = exposition.find_host(cloud, fqdn)
            hosts = [host] if host is not None and host.fqdn == fqdn else []
        else:
            hosts = [cloud.hosts[n] for n in cloud.host_index.ids]
        return [h for h in hosts if h.service.state == 'up']

    def _busy(self, host, t0, t1):
        key = ('busy', host.name, t0, t1)
        if key not in self.memo:
            self.memo[key] = metrics.host_cpu_fraction(self.cloud, host, t0,
                                                       t1)
        return self.memo[key]

    def select(self, matchers):
        name = _eq(matchers, '__name__')
        names = [name] if name is not None else [
            n for n in SERIES_NAMES if _match({'__name__': n}, matchers)]
        out = []
        for n in names:
            if n in SERIES_NAMES:
                out.extend(s for s in getattr(self, '_' + n)(matchers)
                           if _match(s.labels, matchers))
        return out

    # node exporter ------------------------------------------------------
    def _node_cpu_seconds_total(self, matchers):
        mode_wanted = _eq(matchers, 'mode')
        cpu_wanted = _eq(matchers, 'cpu')
        out = []
        for host in self._hosts(matchers):
            base = self.host_labels(host)
            base['__name__'] = 'node_cpu_seconds_total'
            for mode, share in exposition.CPU_MODES:
                if mode_wanted is not None and mode != mode_wanted:
                    continue

                def instant(t, h=host, m=mode):
                    return exposition.host_cpu_seconds(self.cloud, h, t)[m]

                def window(func, t0, t1, h=host, s=share):
                    busy = self._busy(h, t0, t1)
                    rate = (1.0 - busy) if s is None else busy * s
                    return _counter_window(func, rate, t0, t1)

                cpus = range(host.vcpus) if cpu_wanted is None else (
                    [int(cpu_wanted)] if cpu_wanted.isdigit()
                    and int(cpu_wanted) < host.vcpus else [])
                for cpu in cpus:
                    labels = dict(base, cpu=str(cpu), mode=mode)
                    out.append(Series(labels, instant, window))
        return out

    def _node_memory_MemTotal_bytes(self, matchers):
        out = []
        for host in self._hosts(matchers):
            labels = dict(self.host_labels(host),
                          __name__='node_memory_MemTotal_bytes')
            total = float(metrics.host_mem_total_bytes(host))
            out.append(Series(labels, lambda t, v=total: v,
                              lambda f, t0, t1, v=total:
                              _gauge_window(f, lambda a: v, t0, t1)))
        return out

    def _node_memory_MemAvailable_bytes(self, matchers):
        cloud = self.cloud
        out = []
        for host in self._hosts(matchers):
            labels = dict(self.host_labels(host),
                          __name__='node_memory_MemAvailable_bytes')

            def instant(t, h=host):
                return metrics.host_mem_available_bytes(cloud, h, t, t)

            def window(func, t0, t1, h=host):
                # More RAM used means less available: swap max and min.
                flip = {'max': 'min', 'min': 'max'}

                def agg(a):
                    return metrics.host_mem_available_bytes(
                        cloud, h, t0, t1, flip.get(a, a))
                return _gauge_window(func, agg, t0, t1)
            out.append(Series(labels, instant, window))
        return out

    # ipmi exporter -----------------------------------------------------
    def _host_gauges(self, name, sensors, matchers):
        """One series per up host and sensor: ``sensors`` is
        ``[(extra labels, f(cloud, host, t0, t1, aggregate))]``.
        """
        cloud = self.cloud
        out = []
        for host in self._hosts(matchers):
            for extra, func in sensors:
                labels = dict(self.host_labels(host), __name__=name,
                              **extra)

                def window(fn, t0, t1, h=host, f=func):
                    def agg(a):
                        if a == 'last':
                            return f(cloud, h, t1, t1)
                        return f(cloud, h, t0, t1, a)
                    return _gauge_window(fn, agg, t0, t1)
                out.append(Series(labels,
                                  lambda t, h=host, f=func: f(cloud, h, t, t),
                                  window))
        return out

    def _ipmi_temperature_celsius(self, matchers):
        return self._host_gauges('ipmi_temperature_celsius', [
            (sensor, func) for sensor, func in exposition.IPMI_TEMPERATURES],
            matchers)

    def _ipmi_sensor_value(self, matchers):
        return self._host_gauges('ipmi_sensor_value', [
            (exposition.IPMI_AIRFLOW, exposition.host_airflow_cfm)],
            matchers)

    def _ipmi_dcmi_power_consumption_watts(self, matchers):
        return self._host_gauges('ipmi_dcmi_power_consumption_watts',
                                 [({}, metrics.host_power)], matchers)

    # ceilometer --------------------------------------------------------
    def _servers(self, matchers):
        cloud = self.cloud
        uuid = _eq(matchers, 'resource')
        if uuid is not None:
            server = cloud.servers.get(uuid)
            servers = [server] if server is not None else []
        else:
            servers = [cloud.servers[i] for i in cloud.server_index.ids]
        return [s for s in servers if s.running]

    def _ceilometer_labels(self, server, meter, name):
        labels = dict(exposition.server_labels(self.cloud, server, meter))
        labels.update({'__name__': name, 'job': 'ceilometer',
                       'instance': self.instance_label})
        return labels

    def _ceilometer_cpu(self, matchers):
        cloud = self.cloud
        out = []
        for server in self._servers(matchers):
            labels = self._ceilometer_labels(server, 'cpu', 'ceilometer_cpu')

            def window(func, t0, t1, s=server):
                rate = s.flavor.vcpus * 1e9 * metrics.instance_cpu_fraction(
                    s, t0, t1)
                return _counter_window(func, rate, t0, t1)
            out.append(Series(labels,
                              lambda t, s=server: cloud.server_cpu_ns(s, t),
                              window))
        return out

    def _ceilometer_memory_usage(self, matchers):
        out = []
        for server in self._servers(matchers):
            labels = self._ceilometer_labels(server, 'memory',
                                             'ceilometer_memory_usage')

            def window(func, t0, t1, s=server):
                return _gauge_window(
                    func, lambda a: metrics.instance_ram_mb(s, t0, t1, a),
                    t0, t1)
            out.append(Series(labels,
                              lambda t, s=server: metrics.instance_ram_mb(
                                  s, t, t), window))
        return out

    def _ceilometer_cpu_l3_cache(self, matchers):
        cloud = self.cloud
        out = []
        for server in self._servers(matchers):
            labels = self._ceilometer_labels(server, 'cpu_l3_cache',
                                             'ceilometer_cpu_l3_cache')

            def window(func, t0, t1, s=server):
                return _gauge_window(
                    func, lambda a: 1024.0 * metrics.instance_l3_cache_kib(
                        cloud, s, t0, t1, a), t0, t1)
            out.append(Series(
                labels, lambda t, s=server: 1024.0 *
                metrics.instance_l3_cache_kib(cloud, s, t, t), window))
        return out


SCRAPE_INTERVAL = 5.0


def _counter_window(func, rate, t0, t1):
    if func in ('rate', 'irate'):
        return rate
    if func == 'increase':
        return rate * (t1 - t0)
    raise syntax.PromQLError('%s is not supported on counters here' % func)


def _gauge_window(func, agg, t0, t1):
    if func in ('avg_over_time', 'last_over_time'):
        return agg('mean') if func == 'avg_over_time' else agg('last')
    if func == 'max_over_time':
        return agg('max')
    if func == 'min_over_time':
        return agg('min')
    if func == 'count_over_time':
        return float(int((t1 - t0) // SCRAPE_INTERVAL))
    if func == 'sum_over_time':
        return agg('mean') * int((t1 - t0) // SCRAPE_INTERVAL)
    if func in ('rate', 'irate', 'increase'):
        return 0.0
    raise syntax.PromQLError('unsupported function %s' % func)


# -------------------------------------------------------------- evaluator

def _key(labels):
    return tuple(sorted((k, v) for k, v in labels.items()
                        if k != '__name__'))


def _drop_name(labels):
    return {k: v for k, v in labels.items() if k != '__name__'}


class Evaluator:
    def __init__(self, store, t):
        self.store = store
        self.t = t

    def eval(self, node):
        kind = node[0]
        return getattr(self, 'ev_' + kind)(node)

    def ev_number(self, node):
        return ('scalar', node[1])

    def ev_neg(self, node):
        return self._arith('*', ('scalar', -1.0), self.eval(node[1]))

    def ev_selector(self, node):
        _, matchers, rng = node
        if rng is not None:
            raise syntax.PromQLError(
                'a range vector cannot be the result of an expression; use '
                'a function such as rate()')
        series = self.store.select(matchers)
        return ('vector', [(dict(s.labels), float(s.instant(self.t)))
                           for s in series])

    def ev_call(self, node):
        _, name, args = node
        if name in syntax.RANGE_FUNCS:
            if len(args) != 1 or args[0][0] != 'selector' or \
                    args[0][2] is None:
                raise syntax.PromQLError(
                    'expected a range vector in call to %s' % name)
            _, matchers, rng = args[0]
            t0 = self.t - rng
            out = []
            for s in self.store.select(matchers):
                try:
                    value = s.window(name, t0, self.t)
                except syntax.PromQLError:
                    raise
                if name in ('rate', 'irate', 'increase') and \
                        s.labels['__name__'] in GAUGES:
                    value = 0.0
                out.append((_drop_name(s.labels), float(value)))
            return ('vector', out)
        if name in ('clamp_max', 'clamp_min'):
            if len(args) != 2:
                raise syntax.PromQLError('%s needs 2 arguments' % name)
            vec = self._vector(self.eval(args[0]), name)
            bound = self._scalar(self.eval(args[1]), name)
            pick = min if name == 'clamp_max' else max
            return ('vector', [(_drop_name(lb), pick(v, bound))
                               for lb, v in vec])
        if name == 'abs':
            vec = self._vector(self.eval(args[0]), name)
            return ('vector', [(_drop_name(lb), abs(v)) for lb, v in vec])
        if name == 'scalar':
            vec = self._vector(self.eval(args[0]), name)
            return ('scalar', vec[0][1] if len(vec) == 1 else math.nan)
        if name == 'vector':
            return ('vector', [({}, self._scalar(self.eval(args[0]),
                                                 name))])
        if name == 'time':
            return ('scalar', self.t)
        raise syntax.PromQLError('unknown function with name "%s"' % name)

    def ev_agg(self, node):
        _, op, grouping, arg = node
        vec = self._vector(self.eval(arg), op)
        groups = {}
        for labels, value in vec:
            if grouping is None:
                glabels = {}
            elif grouping[0] == 'by':
                glabels = {k: labels[k] for k in grouping[1] if k in labels}
            else:
                glabels = {k: v for k, v in labels.items()
                           if k not in grouping[1] and k != '__name__'}
            key = _key(glabels)
            groups.setdefault(key, (glabels, []))[1].append(value)
        out = []
        for glabels, values in groups.values():
            if op == 'sum':
                v = sum(values)
            elif op == 'avg':
                v = sum(values) / len(values)
            elif op == 'min':
                v = min(values)
            elif op == 'max':
                v = max(values)
            else:
                v = float(len(values))
            out.append((glabels, v))
        return ('vector', out)

    def ev_binop(self, node):
        _, op, left, right = node
        return self._arith(op, self.eval(left), self.eval(right))

    @staticmethod
    def _apply(op, a, b):
        if op == '+':
            return a + b
        if op == '-':
            return a - b
        if op == '*':
            return a * b
        if b == 0:
            return math.copysign(math.inf, a) if a else math.nan
        return a / b

    def _arith(self, op, left, right):
        if left[0] == 'scalar' and right[0] == 'scalar':
            return ('scalar', self._apply(op, left[1], right[1]))
        if left[0] == 'scalar':
            return ('vector', [(_drop_name(lb), self._apply(op, left[1], v))
                               for lb, v in right[1]])
        if right[0] == 'scalar':
            return ('vector', [(_drop_name(lb), self._apply(op, v, right[1]))
                               for lb, v in left[1]])
        index = {}
        for labels, value in right[1]:
            key = _key(labels)
            if key in index:
                raise syntax.PromQLError(
                    'found duplicate series for the match group on the right '
                    'hand-side')
            index[key] = value
        out = []
        for labels, value in left[1]:
            key = _key(labels)
            if key in index:
                out.append((_drop_name(labels),
                            self._apply(op, value, index[key])))
        return ('vector', out)

    @staticmethod
    def _vector(value, where):
        if value[0] != 'vector':
            raise syntax.PromQLError(
                'expected type instant vector in %s, got scalar' % where)
        return value[1]

    @staticmethod
    def _scalar(value, where):
        if value[0] != 'scalar':
            raise syntax.PromQLError('expected type scalar in %s' % where)
        return value[1]


def format_value(value):
    if math.isnan(value):
        return 'NaN'
    if math.isinf(value):
        return '+Inf' if value > 0 else '-Inf'
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def evaluate(cloud, query, t=None):
    """Evaluate ``query`` at ``t`` (default now); return the ``data`` part
    of a Prometheus ``/api/v1/query`` answer.
    """
    tree = syntax.Parser(query).parse()
    with cloud.lock:
        t = cloud.now() if t is None else float(t)
        result = Evaluator(Store(cloud), t).eval(tree)
    if result[0] == 'scalar':
        return {'resultType': 'scalar',
                'result': [t, format_value(result[1])]}
    return {'resultType': 'vector', 'result': [
        {'metric': labels, 'value': [t, format_value(value)]}
        for labels, value in result[1]]}
