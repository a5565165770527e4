"""The mock Genesys Cloud server: a Flask app over the engine, served by waitress."""

from .app import create_app
from .config import ServerConfig

__all__ = ["ServerConfig", "create_app"]
