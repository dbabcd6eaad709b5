"""The shenbi sandbox."""
