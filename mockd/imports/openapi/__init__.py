"""OpenAPI 3.0/3.1 and Swagger 2.0 importer."""

from mockd.imports.openapi.convert import convert

__all__ = ["convert"]
