"""``beritatui report``: the hand-counted newsroom (tests/conftest.py ``report_history``) as table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from beritatui.core.reports import COLUMNS

RANGE = ("--from", "2026-11-01", "--to", "2027-01")


@pytest.fixture
def history(report_history):
    return report_history


def test_json_has_stable_names_and_the_hand_counted_numbers(cli, history):
    data = json.loads(cli.ok("report", *RANGE, "--json", login="eko").output)
    assert set(data) == {"unit", "unit_id", "by", "timezone", "from", "to", "subunits", "rows", "top"}
    assert data["from"] == "2026-11-01T00:00:00+08:00" and data["to"] == "2027-01-01T00:00:00+08:00"
    assert all(list(row) == sorted(COLUMNS) for row in data["rows"])  # print_json sorts the keys
    lapas = next(r for r in data["rows"] if r["unit"] == "Lapas Uji" and r["period"] == "2026-11")
    assert (lapas["published"], lapas["submit_to_publish_median_s"], lapas["submit_to_publish_p90_s"]) == (
        3, 21600, 86400)
    assert lapas["period_start"] == "2026-11-01T00:00:00+08:00" and lapas["reactions_like"] == 11
    total = [r for r in data["rows"] if r["scope"] == "total"]
    assert [(r["period"], r["published"], r["corrections"], r["unpublished"]) for r in total] == [
        ("2026-11", 5, 0, 1), ("2026-12", 1, 1, 1)]
    first = data["top"][0]
    assert first["scope"] == "total" and first["rank"] == 1 and first["reactions"] == 12
    assert first["unit_of_article"] == "Lapas Uji" and first["reactions_love"] == 2


def test_csv_is_one_header_and_a_row_per_unit_and_period(cli, history):
    output = cli.ok("report", *RANGE, "--csv", "--unit", "Kanwil Uji", login="eko").output
    found = list(csv.DictReader(io.StringIO(output)))
    assert output.splitlines()[0] == ",".join(COLUMNS)
    assert [(r["period"], r["unit"], r["scope"]) for r in found] == [
        ("2026-11", "Kanwil Uji", "unit"), ("2026-11", "Lapas Uji", "unit"), ("2026-11", "Kanwil Uji", "total"),
        ("2026-12", "Kanwil Uji", "unit"), ("2026-12", "Lapas Uji", "unit"), ("2026-12", "Kanwil Uji", "total")]
    assert found[0]["submit_to_publish_median_s"] == "3600" and found[3]["submit_to_publish_median_s"] == ""


def test_the_table_shows_waits_as_people_say_them(cli, history):
    output = cli.ok("report", *RANGE, "--unit", "Lapas Uji", login="lina").output
    assert "6 h" in output and "1 d" in output and "All: Lapas Uji" in output
    assert "Most reacted:" in output


def test_subunits_roll_up(cli, history):
    data = json.loads(cli.ok("report", *RANGE, "--subunits", "--json", "--unit", "Kanwil Uji", login="ani").output)
    kanwil = next(r for r in data["rows"] if r["unit"] == "Kanwil Uji" and r["period"] == "2026-11"
                  and r["scope"] == "subtree")
    assert kanwil["published"] == 4 and kanwil["submit_to_publish_median_s"] == 14400


@pytest.mark.parametrize(("args", "login", "message"), [
    ((), "wati", "editors and admins"),
    (("--unit", "Kanwil Uji"), "lina", "Only an editor or admin of Kanwil Uji"),
    (("--unit", "Tidak Ada"), "eko", "No unit"),
    (("--from", "kemarin"), "eko", "YYYY-MM-DD"),
    (("--from", "2026-12-01", "--to", "2026-11-01"), "eko", "before its end"),
    (("--by", "day", "--from", "2020-01-01", "--to", "2026-01-01"), "eko", "periods"),
])
def test_bad_input_is_one_line(cli, history, args, login, message):
    result = cli.refused("report", *args, login=login)
    assert message in result.stderr


def test_json_and_csv_together_is_a_usage_error(cli, history):
    result = cli("report", "--json", "--csv", login="eko")
    assert result.exit_code == 2 and "Choose one" in result.output
