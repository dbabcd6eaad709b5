"""The student table: model, view, filters and loading off the GUI thread."""
