"""gcmock: realistic Genesys Cloud conversation data and a local mock of its REST API."""

__version__ = "0.1.0"
__all__ = ["__version__"]
