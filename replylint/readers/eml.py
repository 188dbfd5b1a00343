"""(being written)"""

from ..hookspecs import hookimpl


@hookimpl
def register_readers(register):
    pass
