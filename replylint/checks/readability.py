"""(being written)"""

from ..hookspecs import hookimpl


@hookimpl
def register_checks(register, config):
    pass
