"""The Qt widgets: main window, table models, dialogs, results and history views."""
