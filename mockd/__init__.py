"""mockd: an API mock server for integration and performance testing."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mockd")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
