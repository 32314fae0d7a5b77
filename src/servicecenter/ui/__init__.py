"""What every page shares below the apps: reading request parameters within the domain's limits.

Apps import this package; it imports no app and not ``web``.
"""
