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

"""What every v1 resource controller does the same way."""
import pecan
from pecan import rest

from watcher.api.controllers import link
from watcher.api.controllers.v1 import collection
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception
from watcher.common import policy
from watcher.common import utils
from watcher.objects import base as objects_base

TIMESTAMPS = ('created_at', 'updated_at', 'deleted_at')


def context():
    return pecan.request.context


def authorize(rule, target=None):
    policy.authorize(rule, target or {}, context())


def timestamps(obj):
    return {name: api_utils.isotime(getattr(obj, name, None))
            for name in TIMESTAMPS}


# Per-request memos (views run once per row of a page).
_BASE_URL_KEY = 'watcher.base_url'


def make_links(collection, ident):
    """``link.make_links`` with the request's base URL worked out once."""
    environ = pecan.request.environ
    base = environ.get(_BASE_URL_KEY)
    if base is None:
        base = environ[_BASE_URL_KEY] = link.base_url()
    return link.make_links(collection, ident, base)


_NOT_FOUND = {
    'Goal': (exception.GoalNotFound, 'goal'),
    'Strategy': (exception.StrategyNotFound, 'strategy'),
    'AuditTemplate': (exception.AuditTemplateNotFound, 'audit_template'),
    'Audit': (exception.AuditNotFound, 'audit'),
    'ActionPlan': (exception.ActionPlanNotFound, 'action_plan'),
    'Action': (exception.ActionNotFound, 'action'),
    'ScoringEngine': (exception.ScoringEngineNotFound, 'scoring_engine'),
    'Service': (exception.ServiceNotFound, 'service'),
}
# Ids are SQL integers: anything outside cannot exist.
_MAX_ID = 2 ** 31 - 1


def not_found(cls, ident):
    error, key = _NOT_FOUND.get(cls.obj_name(), (exception.NotFound, None))
    return error(**{key: ident}) if key else error()


def get_object(cls, ident, eager=False):
    """An object by id, uuid or name (what ``cls.get`` accepts)."""
    if utils.is_int_like(ident) and not 0 < int(ident) <= _MAX_ID:
        raise not_found(cls, ident)
    if isinstance(ident, str) and (not ident.strip() or len(ident) > 255):
        raise not_found(cls, ident)
    return cls.get(context(), ident, eager=eager)


def fetch_page(cls, filters, limit, marker, sort_key, sort_dir,
               parents=()):
    """One page of objects, whether more rows follow it, and its parents.

    One row more than the page is read, so ``next`` appears only when
    another page really exists, at no extra query. The parents
    (``{relation: {id: ParentRef}}``, uuid and name of each) come with the
    page's rows in the same query.
    """
    if parents:
        rows, found = cls.list_with_parents(
            context(), parents, filters=filters or None, limit=limit + 1,
            marker=marker, sort_key=sort_key, sort_dir=sort_dir)
    else:
        rows, found = cls.list(
            context(), filters=filters or None, limit=limit + 1,
            marker=marker, sort_key=sort_key, sort_dir=sort_dir), {}
    rows = list(rows)
    return rows[:limit], len(rows) > limit, found


def related(obj, name, extra=None):
    """The ``name`` parent of ``obj``.

    From a page's fetch_page() parents when given, else from the object
    (eager-loaded or lazy).
    """
    if extra and name in extra:
        return extra[name].get(getattr(obj, name + '_id'))
    return getattr(obj, name)


class ListController(rest.RestController):
    """Collection helpers; subclasses say what they list."""

    plural = None        # JSON key and URL segment, e.g. 'audits'
    object_class = None  # e.g. objects.Audit
    sort_keys = ('id',)
    marker_key = 'uuid'
    integer_marker = False
    # parents whose uuid and name list items show, read with the page
    relations = ()

    def collection(self, view, filters, limit, marker, sort_key, sort_dir,
                   detail=False, params=None, prepare=None):
        limit, sort_key, sort_dir = api_utils.paging(
            limit, sort_key, sort_dir, self.sort_keys)
        marker = api_utils.check_marker(marker, self.integer_marker)
        # The page, its parents and whatever the views read: one read
        # transaction (a constant, small number of round trips).
        with objects_base.reading():
            try:
                rows, has_more, extra = fetch_page(
                    self.object_class, filters, limit, marker, sort_key,
                    sort_dir, parents=self.relations)
            except exception.NotFound:
                if marker is None:
                    raise
                raise exception.InvalidParameterValue(
                    err='Marker %s does not exist' % marker)
            if prepare:
                extra.update(prepare(rows, detail))
            items = [view(row, detail, extra) for row in rows]
        query = dict(params or {})
        if sort_key != 'id':
            query['sort_key'] = sort_key
        if sort_dir != 'asc':
            query['sort_dir'] = sort_dir
        resource_url = self.plural + ('/detail' if detail else '')
        return collection.page(
            self.plural, items, resource_url, limit,
            lambda item: item[self.marker_key], query, has_more)


def ident_filter(prefix, ident):
    """A join filter on a related resource given by uuid or name."""
    if ident is None:
        return {}
    key = 'uuid' if api_utils.is_uuid(ident) else 'name'
    return {'%s_%s' % (prefix, key): ident}
