"""A synthetic history of the facility for the benchmark and for demos: ``generate_history``."""

from demo.synthetic.generator import Summary, generate_history

__all__ = ["Summary", "generate_history"]
