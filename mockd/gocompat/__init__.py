"""Go compatibility: the one home of everything that must come out byte for byte as the Go tool's.

- `gojson`: JSON encoding as `encoding/json` writes it (orjson fast path plus exact fix-ups);
- `quote`: Go's `%q`, for messages;
- `timefmt`: RFC 3339 timestamps as Go's `time` prints them;
- `jsonscan`, `yamlscan`, `positions`: JSON and YAML decoded as Go's decoders read them, keeping each
  value's position (and, for JSON, its source text).

It imports nothing else of mockd. Modules are imported by name, not from here, so that the request path's
`gojson` never pulls in PyYAML.
"""
