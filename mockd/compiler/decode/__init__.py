"""Stage 1, decode: a config file's bytes to data plus positions, read as the Go loader reads them.

`load` does the file checks, `$VAR` expansion (`envexpand`) and JSON or YAML parsing; `coerce` applies the
Go decoders' leniencies before validation.
"""
