"""HTTPS for the mock port: certificates (loaded and checked, or generated for this run) and the mTLS options
Granian can honour. The runtime's server starts the HTTPS listener from what `settings` returns; nothing here
imports the runtime.
"""
