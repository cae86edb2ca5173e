"""Reading and writing documents: the cattrs converter, JSON and TOML, JSON Schema."""

from samskaping.io._converter import (
    ResultHooks,
    default_converter,
    make_converter,
    register_result_hooks,
    result_converter,
    result_json,
    structure,
    unstructure,
)
from samskaping.io._fields import field_reference
from samskaping.io._import import (
    DELIVERABLE_COLUMNS,
    RISK_COLUMNS,
    DeliverableImport,
    deliverables_toml,
    import_deliverables,
    import_risks,
    risks_toml,
)
from samskaping.io._load import (
    MAX_BYTES,
    Format,
    dump,
    dumps,
    format_of,
    json_default,
    load,
    load_data,
    loads,
    parse,
    read_text,
)
from samskaping.io._schema import document_schema, json_schema

__all__ = [
    "DELIVERABLE_COLUMNS",
    "MAX_BYTES",
    "RISK_COLUMNS",
    "DeliverableImport",
    "Format",
    "ResultHooks",
    "default_converter",
    "deliverables_toml",
    "document_schema",
    "dump",
    "dumps",
    "field_reference",
    "format_of",
    "import_deliverables",
    "import_risks",
    "json_default",
    "json_schema",
    "load",
    "load_data",
    "loads",
    "make_converter",
    "parse",
    "read_text",
    "register_result_hooks",
    "result_converter",
    "result_json",
    "risks_toml",
    "structure",
    "unstructure",
]
