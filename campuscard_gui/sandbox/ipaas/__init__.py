"""The ipaas sandbox."""
