"""Documents PoCs send back (issue 16): the received file, its checks, and staff's decision."""
