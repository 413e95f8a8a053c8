"""Lantern's forms for offline field capture (ODK Collect, KoboCollect), as XLSForms.

Built from the taxonomy's code lists and the intake declaration, labelled in every language of
``lantern.taxonomy.LANGUAGES``; what a field worker submits comes back through ``lantern import
--format odk|kobo`` (``lantern.cases.importing.fieldsources``, which names the questions).
"""
