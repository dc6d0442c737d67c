"""Stage 2, check: decoded data validated with the Go tool's messages, every problem positioned.

`document` drives one file through `typecheck` (the pydantic models), `mock_rules` (Go's HTTP mock checks),
`protocol_rules` (Go's checks for the protocols kept verbatim) and `native` (regex and JSONPath validity as
the Rust matcher decides it).
"""
