"""SMTP settings from PORTAL_SMTP_* variables: sensible defaults, clear errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal_app.mail_config import (
    MailConfigError,
    SmtpSecurity,
    SmtpSettings,
    mail_round_from_env,
    smtp_settings_from_env,
)


def test_no_host_means_no_mail_server():
    assert smtp_settings_from_env({}) is None
    assert smtp_settings_from_env({"PORTAL_SMTP_HOST": "  ", "PORTAL_SMTP_FROM": "a@b.example"}) is None


def test_full_configuration_is_read():
    settings = smtp_settings_from_env(
        {
            "PORTAL_SMTP_HOST": "smtp.example.org",
            "PORTAL_SMTP_PORT": "2525",
            "PORTAL_SMTP_SECURITY": "SSL",
            "PORTAL_SMTP_USER": "portal",
            "PORTAL_SMTP_PASSWORD": "s3cret",
            "PORTAL_SMTP_FROM": "Oak Street Office <office@oak.example>",
        }
    )

    assert settings == SmtpSettings(
        host="smtp.example.org",
        port=2525,
        security=SmtpSecurity.SSL,
        from_address="office@oak.example",
        from_name="Oak Street Office",
        user="portal",
        password="s3cret",
    )
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(("security", "port"), [("", 587), ("starttls", 587), ("ssl", 465), ("none", 25)])
def test_port_defaults_to_the_usual_one_for_the_security(security, port):
    settings = smtp_settings_from_env(
        {
            "PORTAL_SMTP_HOST": "mail",
            "PORTAL_SMTP_SECURITY": security,
            "PORTAL_SMTP_FROM": "office@oak.example",
        }
    )

    assert settings.port == port
    # A bare address is signed with each message's practice name.
    assert settings.from_name is None


@pytest.mark.parametrize(
    ("variables", "complaint"),
    [
        ({"PORTAL_SMTP_SECURITY": "tls"}, "PORTAL_SMTP_SECURITY"),
        ({"PORTAL_SMTP_PORT": "smtp"}, "PORTAL_SMTP_PORT"),
        ({"PORTAL_SMTP_PORT": "70000"}, "PORTAL_SMTP_PORT"),
        ({"PORTAL_SMTP_PORT": "²"}, "PORTAL_SMTP_PORT"),
        ({"PORTAL_SMTP_FROM": "office"}, "PORTAL_SMTP_FROM"),
        ({"PORTAL_SMTP_PASSWORD": "s3cret"}, "PORTAL_SMTP_USER"),
    ],
)
def test_inconsistent_settings_fail_at_start_up(variables, complaint):
    environ = {"PORTAL_SMTP_HOST": "mail", "PORTAL_SMTP_FROM": "office@oak.example"} | variables

    with pytest.raises(MailConfigError, match=complaint):
        smtp_settings_from_env(environ)


def test_the_mail_round_is_30_seconds_unless_set():
    assert mail_round_from_env({}) == timedelta(seconds=30)
    assert mail_round_from_env({"PORTAL_MAIL_ROUND_SECONDS": "2"}) == timedelta(seconds=2)


@pytest.mark.parametrize("value", ["0", "3601", "1.5", "²", "soon"])
def test_a_mail_round_out_of_range_fails_at_start_up(value):
    with pytest.raises(MailConfigError, match="PORTAL_MAIL_ROUND_SECONDS"):
        mail_round_from_env({"PORTAL_MAIL_ROUND_SECONDS": value})
