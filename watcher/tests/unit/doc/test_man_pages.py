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

"""Every console script of setup.cfg has its man page in doc/source/cli,
listed in the ``man_pages`` of the Sphinx configuration, and no page
describes a script that does not exist.
"""
import ast
import configparser
import pathlib

import testtools

ROOT = pathlib.Path(__file__).resolve().parents[4]


def console_scripts():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / 'setup.cfg')
    lines = cfg.get('entry_points', 'console_scripts').strip().splitlines()
    return {line.split('=')[0].strip() for line in lines if line.strip()}


def man_page_names():
    """The script names of ``man_pages`` in doc/source/conf.py (read from
    its syntax tree: importing it would need Sphinx).
    """
    tree = ast.parse((ROOT / 'doc' / 'source' / 'conf.py').read_text())
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign)
                and getattr(node.targets[0], 'id', None) == 'man_pages'):
            pairs = node.value.generators[0].iter
            return {elt.elts[0].value for elt in pairs.elts}
    return set()


class ManPagesTest(testtools.TestCase):

    def test_one_man_page_per_console_script(self):
        scripts = console_scripts()
        self.assertIn('watcher-api', scripts)
        self.assertEqual(scripts, man_page_names())
        pages = {p.stem for p in (ROOT / 'doc' / 'source' / 'cli')
                 .glob('*.rst')} - {'index'}
        self.assertEqual(scripts, pages)
