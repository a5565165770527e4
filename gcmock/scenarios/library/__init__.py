"""The named scenarios (scripts over the engine operations, with their timing distributions) and the
generator that draws conversation *i* of a dataset from them.

Importing the package imports every family of scripts, whose ``@scenario`` decorators fill
:data:`.registry.SCENARIOS` in this order (see :mod:`.registry`, "Adding a scenario").
"""

from . import inbound, outbound, transfers, supervised, callbacks, digital  # noqa: F401  isort: skip
