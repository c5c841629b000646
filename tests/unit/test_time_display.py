"""Which zone names a browser may report."""

import pytest

from portal_app.domain.time_display import valid_zone, zone_choices


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"])
def test_canonical_zones_are_accepted(zone):
    assert valid_zone(zone) == zone


@pytest.mark.parametrize(
    "zone",
    [
        "localtime",  # the server's own zone, not the browser's
        "posixrules",
        "Factory",
        "america/new_york",
        "/usr/share/zoneinfo/UTC",
        "../zoneinfo/UTC",
        "posix/UTC",
        "America/New_York\n",
        "",
        None,
        42,
        ["UTC"],
    ],
)
def test_anything_else_is_refused(zone):
    assert valid_zone(zone) is None


def test_the_settings_choices_are_exactly_the_accepted_zones_in_order():
    choices = zone_choices()
    assert choices == sorted(choices)
    assert "America/New_York" in choices
    assert "Asia/Kolkata" in choices
    assert all(valid_zone(zone) == zone for zone in choices)
    assert not {"localtime", "posixrules", "Factory"} & set(choices)
