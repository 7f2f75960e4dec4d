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

# Sphinx configuration of the watcher documentation (``tox -e docs``).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '_ext'))

project = 'watcher'
copyright = 'The watcher developers'

extensions = [
    'openstackdocstheme',
    'oslo_config.sphinxext',
    'oslo_config.sphinxconfiggen',
    'oslo_policy.sphinxext',
    'oslo_policy.sphinxpolicygen',
    'watcher_plugins',
]

master_doc = 'index'
exclude_patterns = ['_build']
pygments_style = 'native'

# openstackdocstheme
openstackdocs_repo_name = 'openstack/watcher'
openstackdocs_bug_project = 'watcher'
openstackdocs_bug_tag = 'doc'
openstackdocs_auto_name = False
openstackdocs_use_storyboard = False
html_theme = 'openstackdocs'

# The sample files published with the configuration and policy references.
config_generator_config_file = [
    ('../../etc/watcher/oslo-config-generator/watcher.conf',
     '_static/watcher'),
]
policy_generator_config_file = [
    ('../../etc/watcher/oslo-policy-generator/watcher-policy-generator.conf',
     '_static/watcher'),
]

# One man page per console script (``sphinx-build -b man``).
man_pages = [
    ('cli/%s' % name, name, summary, ['The watcher developers'], 1)
    for name, summary in [
        ('watcher-api', 'watcher REST API server'),
        ('watcher-decision-engine', 'watcher decision engine service'),
        ('watcher-applier', 'watcher applier service'),
        ('watcher-all', 'all watcher services in one process'),
        ('watcher-db-manage', 'watcher database schema management'),
        ('watcher-sync', 'load watcher goals and strategies into the '
                         'database'),
        ('watcher-status', 'watcher upgrade readiness checks'),
        ('watcher-simulator', 'simulated OpenStack cloud for watcher'),
    ]
]
