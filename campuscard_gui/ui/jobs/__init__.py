"""Jobs: confirmation, running off the GUI thread, results, history and resume."""
