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

"""The PromQL subset of :mod:`watcher.simulator.promql`: its lexer and its
parser, which turns a query into a tree of tuples the evaluator walks.
"""

import re


class PromQLError(ValueError):
    pass


# ------------------------------------------------------------------ lexer

TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<duration>\[[^\]]*\])
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<op>=~|!~|!=|==|[-+*/(){},=])
  | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
''', re.VERBOSE)

AGGREGATIONS = ('sum', 'avg', 'min', 'max', 'count')
RANGE_FUNCS = ('rate', 'irate', 'increase', 'avg_over_time',
               'max_over_time', 'min_over_time', 'sum_over_time',
               'count_over_time', 'last_over_time')
UNITS = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}


def tokenize(text):
    pos = 0
    out = []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise PromQLError('unexpected character %r at position %d'
                              % (text[pos], pos))
        pos = m.end()
        kind = m.lastgroup
        if kind != 'ws':
            out.append((kind, m.group(kind)))
    out.append(('end', None))
    return out


def parse_duration(text):
    inner = text[1:-1].strip()
    m = re.fullmatch(r'((\d+)(ms|s|m|h|d|w))+', inner)
    if not m:
        raise PromQLError('not a valid duration string: "%s"' % inner)
    total = 0.0
    for number, unit in re.findall(r'(\d+)(ms|s|m|h|d|w)', inner):
        total += int(number) * (0.001 if unit == 'ms' else UNITS[unit])
    if total <= 0:
        raise PromQLError('range must be positive: "%s"' % inner)
    return total


def unquote(text):
    body = text[1:-1]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(
        m.group(1), m.group(1)), body)


# ----------------------------------------------------------------- parser

class Parser:
    def __init__(self, text):
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self, offset=0):
        return self.tokens[self.pos + offset]

    def take(self, kind=None, value=None):
        tok = self.tokens[self.pos]
        if (kind and tok[0] != kind) or (value is not None and
                                         tok[1] != value):
            raise PromQLError('unexpected %s, expected %s' % (
                tok[1] or 'end of input', value or kind))
        self.pos += 1
        return tok

    def parse(self):
        node = self.expr()
        if self.peek()[0] != 'end':
            raise PromQLError('unexpected %r' % (self.peek()[1],))
        return node

    def expr(self):
        node = self.term()
        while self.peek() in (('op', '+'), ('op', '-')):
            op = self.take()[1]
            node = ('binop', op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while self.peek() in (('op', '*'), ('op', '/')):
            op = self.take()[1]
            node = ('binop', op, node, self.unary())
        return node

    def unary(self):
        if self.peek() == ('op', '-'):
            self.take()
            return ('neg', self.unary())
        if self.peek() == ('op', '+'):
            self.take()
            return self.unary()
        return self.primary()

    def labels_list(self):
        self.take('op', '(')
        names = []
        while self.peek() != ('op', ')'):
            names.append(self.take('ident')[1])
            if self.peek() == ('op', ','):
                self.take()
        self.take('op', ')')
        return names

    def primary(self):
        kind, value = self.peek()
        if kind == 'number':
            self.take()
            return ('number', float(value))
        if (kind, value) == ('op', '('):
            self.take()
            node = self.expr()
            self.take('op', ')')
            return node
        if kind == 'op' and value == '{':
            return self.selector(None)
        if kind != 'ident':
            raise PromQLError('unexpected %r' % (value,))
        if value in AGGREGATIONS and self.peek(1)[1] in ('(', 'by',
                                                         'without'):
            return self.aggregation()
        if self.peek(1) == ('op', '('):
            return self.call()
        return self.selector(self.take()[1])

    def aggregation(self):
        op = self.take()[1]
        grouping = None
        if self.peek()[1] in ('by', 'without'):
            grouping = (self.take()[1], self.labels_list())
        self.take('op', '(')
        arg = self.expr()
        self.take('op', ')')
        if grouping is None and self.peek()[1] in ('by', 'without'):
            grouping = (self.take()[1], self.labels_list())
        return ('agg', op, grouping, arg)

    def call(self):
        name = self.take()[1]
        self.take('op', '(')
        args = []
        while self.peek() != ('op', ')'):
            args.append(self.expr())
            if self.peek() == ('op', ','):
                self.take()
        self.take('op', ')')
        return ('call', name, args)

    def selector(self, name):
        matchers = []
        if name is not None:
            matchers.append(('__name__', '=', name))
        if self.peek() == ('op', '{'):
            self.take()
            while self.peek() != ('op', '}'):
                label = self.take('ident')[1]
                op = self.take('op')[1]
                if op not in ('=', '!=', '=~', '!~'):
                    raise PromQLError('unexpected matcher %s' % op)
                matchers.append((label, op, unquote(self.take('string')[1])))
                if self.peek() == ('op', ','):
                    self.take()
            self.take('op', '}')
        if not matchers:
            raise PromQLError('vector selector must contain at least one '
                              'non-empty matcher')
        rng = None
        if self.peek()[0] == 'duration':
            rng = parse_duration(self.take()[1])
        return ('selector', matchers, rng)
