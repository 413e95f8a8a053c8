"""What every page, router and command shares at the edge, below the domain packages.

Bounds on input (``bounds``), the authenticated request type (``typing``), the permission
decorators (``decorators``), the error contract's page side (``errors``), the reader's language
(``language``), form fields labelled from the code lists (``fields``), the API's shared bases
(``schemas``) and lists counted only as far as it is cheap (``paging``).

Why a package of its own: domain views and routers need these, and the web shell above them
routes every domain's views; kept in the shell they made every domain import upward. This
package may import ``lantern.accounts`` (the policy), ``lantern.errors`` and the pure cores,
never a domain package or ``lantern.web`` (``make layers``).
"""
