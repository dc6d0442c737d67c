"""Stage 3, build: checked mocks and resources to plan data (`routes` for HTTP mocks, `resources` for stateful
resources, tables and bindings, `ids` for type inference and generated ids)."""
