"""Limits on what people type, shared by the checks at the edge and the services behind them."""

MAX_MESSAGE_LENGTH = 2000
"""A message to another person: a decline reason, a note with a request."""
