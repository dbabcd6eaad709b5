"""The jiandaoyun sandbox."""
