"""Forwarding real traffic: passthrough of unmatched mock-port requests to an upstream (`upstream.py`, on
aiohttp), the forward proxy (`forward.py`: h11 + asyncio, httpx to the targets) with its CA (`ca.py`) and
recording filters (`filters.py`), and the RFC 9110 hop-by-hop rules every forwarder shares (`hop.py`).

Nothing is imported here: the runtime loads `upstream` only when `--upstream` is given, so a mock set
without one pays nothing, not even the client library's import.
"""
