"""Errors the CLI knows how to report. The tree, with the exit code each maps to:

    VoxguardError                 3  unexpected
    ├── UserError                 2  bad input: the message names the input and what was expected
    │   ├── ConfigError              voxguard-ci.yaml is missing, broken or invalid
    │   ├── EventError               an event, payload or ref cannot be turned into a plan
    │   └── ReportError              a report file is missing, empty or malformed
    └── InfrastructureError       3  a part we depend on (Prefect server, git) is not available
"""


class VoxguardError(Exception):
    exit_code = 3


class UserError(VoxguardError):
    exit_code = 2


class ConfigError(UserError):
    pass


class EventError(UserError):
    pass


class ReportError(UserError):
    pass


class InfrastructureError(VoxguardError):
    pass
