"""The protection workflow, one package per domain (DESIGN.md section 2, "Layout").

Each domain holds its ``models``, ``service`` (the only writer of its records), API router,
views and forms. The case and the person stay in ``lantern.cases``.
"""
