"""Backends behind one Connector protocol (base.py); one module per backend."""
