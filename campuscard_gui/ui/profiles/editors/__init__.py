"""One editor per backend kind (``BackendSpec.editor`` names it)."""
