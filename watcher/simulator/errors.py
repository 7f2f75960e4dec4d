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

"""Errors raised by the simulated cloud state; each HTTP service renders them
in the error format of the API it imitates."""


class SimulatorError(Exception):
    code = 500
    title = 'Internal Server Error'

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class BadRequest(SimulatorError):
    code = 400
    title = 'Bad Request'


class NotFound(SimulatorError):
    code = 404
    title = 'Not Found'


class Conflict(SimulatorError):
    code = 409
    title = 'Conflict'


class NotAcceptable(SimulatorError):
    code = 406
    title = 'Not Acceptable'


class ScenarioError(ValueError):
    """A scenario file or dict is invalid; the message names the field."""
