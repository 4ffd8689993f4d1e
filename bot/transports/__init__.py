"""Adapters between chat platforms and the neutral Incoming/Reply types."""
