"""Imports and exports: other tools' files converted into the Go tool's mock config shapes.

The converters produce plain dicts in the config shape (`{"id", "type": "http", "http": {...}}`), which then
go through the compiler like hand-written mocks; nothing here knows of the plan or the runtime. Public API:

- `load_import(path=..., url=..., as_=..., fmt=..., base_dir=...) -> Converted`: one `imports:` entry;
- `convert_source(Source(...), fmt=...) -> Converted`: bytes in hand (CLI, admin API);
- `detect_format(data, filename)`, `parse_format(name)`;
- `ImportFailure`: every failure, naming the file and the JSON pointer.

One module per format (`openapi/`, `postman`, `har`, ...), registered in `registry.py` and imported only
when a file of that format is converted.
"""

from mockd.imports.entries import convert_source, load_import
from mockd.imports.errors import ImportFailure
from mockd.imports.formats import detect_format, parse_format
from mockd.imports.model import Converted, Source

__all__ = [
    "Converted",
    "ImportFailure",
    "Source",
    "convert_source",
    "detect_format",
    "load_import",
    "parse_format",
]
