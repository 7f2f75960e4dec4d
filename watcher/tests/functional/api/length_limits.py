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

"""Requests with a string longer than its column, and what they must get.

Shared by the SQLite functional test and the MariaDB/PostgreSQL
integration test: the answer must not depend on the backend.
"""
import json

from watcher.db import limits

# a valid cron expression longer than the interval column
LONG_CRON = ','.join(str(m) for m in range(0, 60, 2)) + ' * * * *'


def cases(template, audit):
    """(method, url, body, field) that must get a 400 naming ``field``.

    ``template`` and ``audit`` are names of an existing audit template and
    a CONTINUOUS audit.
    """
    description = 'd' * (limits.string_lengths('AuditTemplate')
                         ['description'] + 1)
    return [
        ('POST', '/v1/audit_templates',
         {'name': 'long-description', 'goal': 'dummy',
          'description': description}, 'description'),
        ('PATCH', '/v1/audit_templates/%s' % template,
         [{'op': 'replace', 'path': '/description', 'value': description}],
         'description'),
        ('POST', '/v1/audits',
         {'audit_type': 'CONTINUOUS', 'goal': 'dummy',
          'interval': LONG_CRON}, 'interval'),
        ('PATCH', '/v1/audits/%s' % audit,
         [{'op': 'replace', 'path': '/interval', 'value': LONG_CRON}],
         'interval'),
    ]


def _send(app, headers, method, url, body):
    return app.request(url, method=method, expect_errors=True,
                       body=json.dumps(body).encode(),
                       headers=dict(headers,
                                    **{'Content-Type': 'application/json'}))


def check(test, app, headers):
    """Send every case through ``app`` (webtest, over a database with the
    ``dummy`` goal) and assert the answers.
    """
    for url, body in (('/v1/audit_templates',
                       {'name': 'limits-template', 'goal': 'dummy'}),
                      ('/v1/audits',
                       {'name': 'limits-audit', 'goal': 'dummy',
                        'audit_type': 'CONTINUOUS', 'interval': '3600'})):
        resp = _send(app, headers, 'POST', url, body)
        test.assertEqual(201, resp.status_int, resp.text[:300])
    for method, url, body, field in cases('limits-template', 'limits-audit'):
        resp = _send(app, headers, method, url, body)
        test.assertEqual(400, resp.status_int, '%s %s: %s' % (
            method, url, resp.text[:300]))
        fault = json.loads(json.loads(resp.body)['error_message'])
        test.assertIn("'%s' is too long" % field, fault['faultstring'])
