"""The terminal app names an error as the command line does: both ask ``core.errorlines.describe``."""

from __future__ import annotations

import errno

import click
import pytest
from click.testing import CliRunner

from beritatui.cli import handle_errors
from beritatui.core.errors import InvalidTransition
from beritatui.tui.app import error_message

ERRORS = [
    InvalidTransition("Only a draft can be submitted"),
    OSError(errno.ENOSPC, "No space left on device", "/srv/berita/ekspor/feed.json"),
    OSError(errno.EACCES, "Permission denied", "/srv/berita/ekspor"),
]


def _cli_line(exc: BaseException) -> str:
    """What ``beritatui`` prints on stderr when a command meets ``exc``."""

    @click.command()
    @handle_errors
    def command() -> None:
        raise exc

    result = CliRunner().invoke(command, [])
    assert result.exit_code == 1
    return result.stderr.strip()


@pytest.mark.parametrize("exc", ERRORS, ids=["core", "disk-full", "permission"])
def test_the_app_and_the_command_line_say_the_same(exc):
    assert _cli_line(exc) == f"Error: {error_message(exc)}"


def test_a_full_disk_is_not_an_unexpected_error_in_the_app():
    message = error_message(OSError(errno.ENOSPC, "No space left on device", "/srv/berita/ekspor/feed.json"))
    assert message == "The disk is full: /srv/berita/ekspor/feed.json"


def test_an_unforeseen_error_is_still_named_unexpected():
    assert error_message(ValueError("nilai tidak sah")) == "Unexpected error: nilai tidak sah"
