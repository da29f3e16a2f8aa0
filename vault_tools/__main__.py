"""`python -m vault_tools` is the same as the `vault-tools` command."""

from vault_tools.cli import main

if __name__ == "__main__":
    main()
