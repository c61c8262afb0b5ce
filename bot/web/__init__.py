"""HTTP: the service's pages (health, the PoCs' signed links) and the public archive."""
