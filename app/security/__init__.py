"""Security: roles and grants (``roles``), password policy (``passwords``), FAB's manager (``manager``)."""
