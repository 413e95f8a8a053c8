"""Import from the web: a file uploaded, checked (a dry run with its row errors), confirmed,
then imported by a background job through the one import path (``lantern.cases.importing``)."""
