"""管理配置…: the profile dialog, the form every remote editor shares, field mapping."""
