"""Use cases. Each takes an open session and the acting member, checks access, and writes."""
