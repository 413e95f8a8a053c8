"""Cases out of Lantern as records another installation or system reads (HTCDS 2.0)."""
