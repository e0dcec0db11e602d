"""Whatever a person types after ``beritatui``, the answer is a message and an exit code, never a traceback."""

from __future__ import annotations

import click
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.cli import cli as beritatui_cli

SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\~"), max_size=24)


def _paths(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        if name == "demo":  # builds a whole newsroom per call; its refusals have their own tests
            continue
        found.append((*path, name))
        if isinstance(command, click.Group):
            found.extend(_paths(command, (*path, name)))
    return found


def _option_names(group: click.Group) -> list[str]:
    names = set()
    for command in group.commands.values():
        names.update(opt for param in command.params for opt in getattr(param, "opts", []) if opt.startswith("-"))
        if isinstance(command, click.Group):
            names.update(_option_names(command))
    names.discard("--debug")
    return sorted(names)


PATHS = _paths(beritatui_cli)
TOKENS = st.one_of(
    st.sampled_from(_option_names(beritatui_cli)),
    st.sampled_from(sorted({p[-1] for p in PATHS})),
    st.sampled_from(["1", "2", "0", "-1", "99999999999999999999", "draft", "review", "Humas", "admin", "-", "--",
                     "2026-12-01 09:00", "pelatihan-menjahit-bagi-warga-binaan-perempuan", "ani", "wati"]),
    SAFE_TEXT,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), rest=st.lists(TOKENS, max_size=6),
       login=st.sampled_from(["ani", "eko", "wati", "orang-asing"]))
def test_no_argument_list_ends_in_a_traceback(cli, wati_draft, path, rest, login):
    result = cli(*path, *rest, login=login, input="", env={"VISUAL": "true"})
    assert result.exit_code in (0, 1, 2), (path, rest, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (path, rest, result.exception)
    assert "Traceback" not in result.output
    assert "Unexpected error" not in result.output, (path, rest, result.output)
    if result.exit_code == 1:
        assert result.stderr.strip(), (path, rest)
