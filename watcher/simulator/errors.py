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
