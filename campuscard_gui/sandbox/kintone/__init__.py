"""The kintone sandbox."""
