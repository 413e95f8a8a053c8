"""Record linkage on the operational store: runs, review of likely duplicates, search index."""
