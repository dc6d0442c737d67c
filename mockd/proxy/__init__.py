"""Forwarding real traffic: passthrough of unmatched mock-port requests to an upstream (`upstream.py`), with
the RFC 9110 hop-by-hop rules shared by every forwarder (`hop.py`).

The runtime holds an `Upstream` only when `--upstream` is given, so a mock set without one pays nothing.
"""

from mockd.proxy.upstream import Upstream, UpstreamOptions

__all__ = ["Upstream", "UpstreamOptions"]
