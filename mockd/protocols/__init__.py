"""Mock kinds other than a plain HTTP response: SSE and chunked streams, WebSocket, GraphQL, SOAP, OAuth/OIDC.

Each protocol is one module (or package) here with one owner. It sits between the plan and the compiler in the
layering (tests/test_architecture.py): it reads the mock exactly as the admin API serves it (Go field names),
so both the compiler and the admin API's one-mock path can call it, and it never imports the runtime. The
runtime reaches it through `registry` only, so a mock set that uses no protocol imports none of them.
"""
