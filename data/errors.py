"""Errors of the sample-data builder."""

from typing import ClassVar


class SampleDataError(Exception):
    """The sample municipality could not be built or read."""

    #: The public message's code: what a person or an API client is told (``mapservice.wording``
    #: words it); the message itself is the detail, for the log.
    public_code: ClassVar[str] = "data_error"
    #: True where the message only describes the request (what was asked and why it is refused),
    #: so an API client may see it; otherwise it may hold paths or a library's raw text.
    public_detail: ClassVar[bool] = False


class IncompleteSample(SampleDataError, FileNotFoundError):
    """A directory does not hold a complete sample built by this version."""

    public_code = "data_missing"
