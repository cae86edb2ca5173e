"""samskaping: Norwegian public-sector co-creation projects as typed, tested code."""

from samskaping._errors import (
    DocumentError,
    InvalidInputError,
    MissingLabelError,
    Problem,
    SamskapingError,
    UnknownNameError,
)
from samskaping._money import Money, split, sum_money
from samskaping.io import dump, dumps, load, loads
from samskaping.model import Document, Programme, Project

__version__ = "0.1.0"

__all__ = [
    "Document",
    "DocumentError",
    "InvalidInputError",
    "MissingLabelError",
    "Money",
    "Problem",
    "Programme",
    "Project",
    "SamskapingError",
    "UnknownNameError",
    "__version__",
    "dump",
    "dumps",
    "load",
    "loads",
    "split",
    "sum_money",
]
