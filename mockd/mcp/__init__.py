"""`mockd mcp`: a Model Context Protocol server that lets AI agents drive a running mockd (reference §8).

The 18 tools of the Go tool (`schemas`), each a thin wrapper over one or a few admin API calls
(`tools_*`), served with the official `mcp` SDK (`server`); `target` finds, or starts, the server they act
on. Nothing here touches the runtime directly: a session only ever talks to an admin URL.
"""
