"""`outreach demo` and its invented data (people on example.org), built to match the paper."""
