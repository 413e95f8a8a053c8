"""Where coordinators and analysts read the statistics: the table builder, trends, routes on a
map, the dashboard, the annual report (PDF and XLSX) and the mart's refresh from the page.

Every figure shown or downloaded here has passed disclosure control (``publishing``) and
carries its provenance; every category is shown by its label, never its code."""
