"""The command line ``minfastighet``: one module per subcommand, gathered by :mod:`.main`."""
