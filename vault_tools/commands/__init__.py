"""One module per CLI command: a frozen Settings built by cli.py and an `execute()` returning
the exit code. Nothing here parses command-line options or knows about click's context."""
