"""Forwarding real traffic: passthrough of mock-port requests to an upstream (`upstream.py`, on
aiohttp), the forward proxy (`forward.py`: h11 + asyncio, httpx to the targets) with its CA (`ca.py`) and
recording filters (`filters.py`), the RFC 9110 hop-by-hop rules every forwarder shares (`hop.py`), and what
an upstream base URL must look like (`url.py`, which the compiler checks configs with).

Nothing is imported here: the runtime loads `upstream` only when `--upstream` is given or a passthrough mock
is first used, so a mock set without one pays nothing, not even the client library's import.
"""
