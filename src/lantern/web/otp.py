"""TOTP devices and their enrolment QR code (rendered as inline SVG on the server: no CDN)."""

from __future__ import annotations

from typing import Any

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice


def device_for(user: Any, confirmed: bool) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4)
