"""The yearly action plugins: each sub-package is one plugin (see docs/writing_plugins.md)."""
