"""assistants-server: a self-hosted, drop-in backend for the OpenAI Assistants API."""

__version__ = "0.1.0"
