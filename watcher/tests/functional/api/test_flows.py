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

"""Flows through the API: lifecycles, skip rules, paging."""
from urllib import parse

from watcher import objects
from watcher.tests.functional.api import base
from watcher.tests.functional.api import seed


class TestAuditLifecycle(base.APITestCase):

    def test_continuous_audit_lifecycle(self):
        audit = self.post('/v1/audits', {
            'audit_type': 'CONTINUOUS', 'goal': 'dummy', 'strategy': 'dummy',
            'interval': '600', 'name': 'cont'}).json
        self.assertEqual('PENDING', audit['state'])
        # A CONTINUOUS audit is cast so that its first run starts at once;
        # the decision engine schedules the next ones.
        self.assertIn(('trigger_audit', audit['uuid']), self.rpc.calls)
        # The decision engine takes it.
        obj = objects.Audit.get_by_uuid(self.context, audit['uuid'])
        obj.state = 'ONGOING'
        obj.save()
        for state in ('SUSPENDED', 'ONGOING', 'CANCELLED'):
            body = self.patch('/v1/audits/cont', [
                {'op': 'replace', 'path': '/state', 'value': state}]).json
            self.assertEqual(state, body['state'])
        self.app.delete('/v1/audits/cont', status=204)
        self.get('/v1/audits/cont', status=404)

    def test_oneshot_creation_triggers_the_decision_engine(self):
        audit = self.post('/v1/audits', {'audit_type': 'ONESHOT',
                                         'goal': 'dummy'}).json
        self.assertIn(('trigger_audit', audit['uuid']), self.rpc.calls)

    def test_refused_creation_writes_nothing(self):
        before = len(objects.Audit.list(self.context))
        self.post('/v1/audits', {'audit_type': 'ONESHOT', 'goal': 'dummy',
                                 'strategy': 'dummy',
                                 'parameters': {'para1': 100}}, status=400)
        self.assertEqual(before, len(objects.Audit.list(self.context)))
        self.assertEqual([], self.rpc.calls)

    def test_delete_cascades_to_plans(self):
        plan_url = '/v1/action_plans/%s' % seed.UUIDS['PLAN_UUID']
        self.app.delete('/v1/audits/audit-dummy', status=204)
        self.get(plan_url, status=404)


class TestActionPlanFlow(base.APITestCase):

    def test_start_then_cancel(self):
        url = '/v1/action_plans/%s' % seed.UUIDS['PLAN_UUID']
        body = self.post(url + '/start', {}, status=200).json
        self.assertEqual('PENDING', body['state'])
        self.assertIn(('launch_action_plan', seed.UUIDS['PLAN_UUID']),
                      self.rpc.calls)
        body = self.patch(url, [{'op': 'replace', 'path': '/state',
                                 'value': 'CANCELLED'}]).json
        self.assertEqual('CANCELLED', body['state'])
        actions = self.get('/v1/actions?action_plan_uuid=%s' %
                           seed.UUIDS['PLAN_UUID']).json['actions']
        self.assertEqual({'CANCELLED'}, {a['state'] for a in actions})

    def test_legacy_launch_by_patch(self):
        url = '/v1/action_plans/%s' % seed.UUIDS['PLAN_UUID']
        body = self.patch(url, [{'op': 'replace', 'path': '/state',
                                 'value': 'PENDING'}]).json
        self.assertEqual('PENDING', body['state'])
        self.assertIn(('launch_action_plan', seed.UUIDS['PLAN_UUID']),
                      self.rpc.calls)


class TestSkipRules(base.APITestCase):

    def _skip(self, uuid, status=200, message=None, version='1.5'):
        ops = [{'op': 'replace', 'path': '/state', 'value': 'SKIPPED'}]
        if message:
            ops.append({'op': 'add', 'path': '/status_message',
                        'value': message})
        return self.patch('/v1/actions/%s' % uuid, ops, version=version,
                          status=status)

    def test_skip_in_recommended_and_pending_plans(self):
        self._skip(seed.UUIDS['ACTION1_UUID'])
        self.post('/v1/action_plans/%s/start' % seed.UUIDS['PLAN_UUID'], {},
                  status=200)
        body = self._skip(seed.UUIDS['ACTION2_UUID'], message='m').json
        self.assertEqual('Action skipped by user. Reason: m',
                         body['status_message'])

    def test_skip_refused_when_plan_runs_or_action_is_not_pending(self):
        resp = self._skip(seed.UUIDS['ONGOING_ACTION_UUID'], status=409)
        self.assertIn('ONGOING', self.fault(resp)['faultstring'])
        action = objects.Action.get_by_uuid(self.context,
                                            seed.UUIDS['ACTION3_UUID'])
        action.state = 'ONGOING'
        action.save()
        self._skip(seed.UUIDS['ACTION3_UUID'], status=409)

    def test_skip_needs_1_5(self):
        for version in (None, '1.0', '1.4'):
            self._skip(seed.UUIDS['ACTION1_UUID'], status=400,
                       version=version)
        self.assertEqual('PENDING', objects.Action.get_by_uuid(
            self.context, seed.UUIDS['ACTION1_UUID']).state)


class TestPaging(base.APITestCase):

    seed_history = False

    def setUp(self):
        super().setUp()
        for i in range(25):
            self.post('/v1/audits', {'audit_type': 'ONESHOT',
                                     'goal': 'dummy', 'strategy': 'dummy',
                                     'name': 'audit-%02d' % i})

    def _walk(self, url):
        names, pages = [], 0
        while url:
            body = self.get(url).json
            pages += 1
            names += [a['name'] for a in body['audits']]
            url = body.get('next')
            if url:
                parts = parse.urlsplit(url)
                self.assertTrue(parts.scheme.startswith('http'))
                url = parts.path + '?' + parts.query
        return names, pages

    def test_next_links_across_pages(self):
        names, pages = self._walk('/v1/audits/?limit=10')
        self.assertEqual(['audit-%02d' % i for i in range(25)], names)
        self.assertEqual(3, pages)

    def test_exact_multiple_has_no_empty_last_page(self):
        names, pages = self._walk('/v1/audits?limit=5')
        self.assertEqual(25, len(names))
        self.assertEqual(5, pages)

    def test_sorted_descending_detail_pages(self):
        names, pages = self._walk(
            '/v1/audits/detail?limit=7&sort_key=name&sort_dir=desc')
        self.assertEqual(['audit-%02d' % i for i in reversed(range(25))],
                         names)
        self.assertEqual(4, pages)

    def test_max_limit_caps_pages(self):
        self.flags(max_limit=4, group='api')
        body = self.get('/v1/audits?limit=100').json
        self.assertEqual(4, len(body['audits']))
        self.assertIn('limit=4', body['next'])
        body = self.get('/v1/audits').json
        self.assertEqual(4, len(body['audits']))


class TestWebhookRetrigger(base.APITestCase):
    """An EVENT audit can be triggered again whatever its last run did."""

    def _event_audit_in(self, state):
        from watcher.db import api as db_api
        uuid = seed.UUIDS['EVENT_AUDIT_UUID']
        db_api.get_instance().update_audit(uuid, {'state': state})
        return uuid

    def test_triggerable_states(self):
        for state in ('PENDING', 'ONGOING', 'SUCCEEDED', 'FAILED'):
            uuid = self._event_audit_in(state)
            self.rpc.calls.clear()
            self.post('/v1/webhooks/%s' % uuid, {}, status=202)
            self.assertEqual([('trigger_audit', uuid)], self.rpc.calls, state)

    def test_finished_for_good_states_are_refused(self):
        for state in ('CANCELLED', 'SUSPENDED'):
            uuid = self._event_audit_in(state)
            self.rpc.calls.clear()
            resp = self.post('/v1/webhooks/%s' % uuid, {}, status=400)
            self.assertIn(state, self.fault(resp)['faultstring'])
            self.assertEqual([], self.rpc.calls)
