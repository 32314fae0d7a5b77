"""What every page shares, below the apps: lists with search, filters and Excel export
(``listing``), report downloads (``downloads``), request parameters within the domain's limits
(``params``) and the Swedish number filters of the templates (``templatetags/sc``).

Apps import this package; it imports no app and not ``web`` (an import contract says so).
"""
