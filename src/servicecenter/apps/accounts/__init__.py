"""People and access: roles, scopes (who sees what), API tokens and the audit log."""
