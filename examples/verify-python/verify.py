"""Verifies a Hookline webhook in Python with the standard library only (hmac, hashlib, base64).

Use verify() in your handler on the raw request body, before parsing JSON:

    if not verify(request.headers, request.get_data(), os.environ["HOOKLINE_SECRET"]):
        abort(401)

Run as a script it checks a saved request: python3 verify.py request.json
(request.json: {"headers": {...}, "body_base64": "..."}; secret in HOOKLINE_SECRET,
scheme in HOOKLINE_SCHEME: standard_webhooks (default) or hmac_sha256_hex).
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time

TOLERANCE_SECONDS = 300


def _header(headers, name):
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def verify_standard_webhooks(headers, body, secret, now=None, tolerance=TOLERANCE_SECONDS):
    """webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">, keyed by the base64 after whsec_."""
    msg_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or not timestamp or not signatures:
        return False
    if not timestamp.strip().isdigit():
        return False
    now = int(time.time()) if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        return False  # stale (or from the future): a replayed request
    if secret.startswith("whsec_"):
        key = base64.b64decode(secret[len("whsec_"):])
    else:
        key = secret.encode("utf-8")
    signed = msg_id.encode() + b"." + timestamp.strip().encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # During a secret rotation the header holds two signatures, space-separated: either may match.
    # Bytes, not str: compare_digest refuses non-ASCII text, and a header is whatever the sender put there.
    return any(
        hmac.compare_digest(entry[3:].encode(), expected.encode())
        for entry in signatures.split(" ")
        if entry.startswith("v1,")
    )


def verify_hex(headers, body, secret, header="X-Webhook-Signature"):
    """X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the body>, keyed by the secret text (whsec_ included)."""
    value = _header(headers, header)
    if not value:
        return False
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(entry.strip().lower().encode(), expected.encode()) for entry in value.split(","))


def verify(headers, body, secret, scheme="standard_webhooks", header="X-Webhook-Signature"):
    if scheme == "hmac_sha256_hex":
        return verify_hex(headers, body, secret, header)
    return verify_standard_webhooks(headers, body, secret)


def main():
    with open(sys.argv[1], encoding="utf-8") as saved:
        request = json.load(saved)
    body = base64.b64decode(request["body_base64"])
    scheme = os.environ.get("HOOKLINE_SCHEME", "standard_webhooks")
    if verify(request["headers"], body, os.environ["HOOKLINE_SECRET"], scheme):
        event = json.loads(body)
        print(f"verified {event['type']} {event['id']}")
        return 0
    print("rejected: no valid signature")
    return 1


if __name__ == "__main__":
    sys.exit(main())
