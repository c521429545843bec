"""Users, roles, login and permission checks."""
