"""Which zone names a browser may report."""

import pytest

from portal_app.domain.time_display import valid_zone


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
