"""The window: the main window, its actions and its profile switching."""
