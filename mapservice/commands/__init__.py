"""Subcommands of ``minfastighet``; :mod:`mapservice.cli` gathers them into one group."""
