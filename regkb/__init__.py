"""regkb: the open knowledge base of Chinese financial enforcement."""

__version__ = "0.1.0"
