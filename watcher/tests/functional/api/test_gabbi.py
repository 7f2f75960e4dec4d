"""Runs the gabbi contract files (gabbits/*.yaml) under pytest."""
import os

from gabbi import driver
# pytest collects this generated test function.
from gabbi.driver import test_pytest  # noqa: F401

from watcher.tests.functional.api import fixtures

TESTS_DIR = os.path.join(os.path.dirname(__file__), 'gabbits')


def pytest_generate_tests(metafunc):
    driver.py_test_generator(
        TESTS_DIR, intercept=fixtures.setup_app, fixture_module=fixtures,
        metafunc=metafunc, test_loader_name=__name__)
