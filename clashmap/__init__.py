"""clashmap: conflict news in, a map and a timeline of the reported clashes out."""

__version__ = "0.1.0"
