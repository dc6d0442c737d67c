"""Recorded HTTP traffic: the exchange a forwarder saw (`model`), redaction before anything is kept
(`redact`), the in-memory store with sessions (`store`), session folders on disk (`disk`), conversion to
mocks (`convert`) and replay in order (`replay`). Plain data in, plain data out: no server code here.
"""
