"""Errors of the sample-data builder."""


class SampleDataError(Exception):
    """The sample municipality could not be built or read."""


class IncompleteSample(SampleDataError, FileNotFoundError):
    """A directory does not hold a complete sample built by this version."""
