"""Verifies a Hookline webhook in Python: the HMAC schemes with the standard library only (hmac, hashlib,
base64), Standard Webhooks v1a (ed25519) with the `cryptography` package.

Use verify() in your handler on the raw request body, before parsing JSON:

    if not verify(request.headers, request.get_data(), os.environ["HOOKLINE_SECRET"]):
        abort(401)

Run as a script it checks a saved request: python3 verify.py request.json
(request.json: {"headers": {...}, "body_base64": "..."}; secret in HOOKLINE_SECRET,
scheme in HOOKLINE_SCHEME: standard_webhooks (default), standard_webhooks_ed25519 (HOOKLINE_SECRET is then
the destination's whpk_ public key), hmac_sha256_hex or hmac_sha1_hex).
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


def _signed_content(headers, body, now, tolerance):
    """The signed "<id>.<timestamp>.<body>" and the offered signatures, or None when headers are missing or stale."""
    msg_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or not timestamp or not signatures:
        return None
    if not timestamp.strip().isdigit():
        return None
    now = int(time.time()) if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        return None  # stale (or from the future): a replayed request
    return msg_id.encode() + b"." + timestamp.strip().encode() + b"." + body, signatures.split(" ")


def verify_standard_webhooks(headers, body, secret, now=None, tolerance=TOLERANCE_SECONDS):
    """webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">, keyed by the base64 after whsec_."""
    content = _signed_content(headers, body, now, tolerance)
    if content is None:
        return False
    signed, signatures = content
    if secret.startswith("whsec_"):
        key = base64.b64decode(secret[len("whsec_"):])
    else:
        key = secret.encode("utf-8")
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # During a secret rotation the header holds two signatures, space-separated: either may match.
    # Bytes, not str: compare_digest refuses non-ASCII text, and a header is whatever the sender put there.
    return any(
        hmac.compare_digest(entry[3:].encode(), expected.encode())
        for entry in signatures
        if entry.startswith("v1,")
    )


def verify_ed25519(headers, body, public_key, now=None, tolerance=TOLERANCE_SECONDS):
    """webhook-signature: v1a,<base64 ed25519 signature of "<id>.<timestamp>.<body>">, checked with the whpk_ public key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not public_key.startswith("whpk_"):
        raise ValueError("v1a verifies with the destination's whpk_ public key")
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key[len("whpk_"):], validate=True))
    content = _signed_content(headers, body, now, tolerance)
    if content is None:
        return False
    signed, signatures = content
    for entry in signatures:
        if not entry.startswith("v1a,"):
            continue
        try:
            key.verify(base64.b64decode(entry[4:], validate=True), signed)
            return True
        except (InvalidSignature, ValueError):
            continue
    return False


def verify_hex(headers, body, secret, header="X-Webhook-Signature"):
    """X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the body>, keyed by the secret text (whsec_ included)."""
    value = _header(headers, header)
    if not value:
        return False
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(entry.strip().lower().encode(), expected.encode()) for entry in value.split(","))


def verify_sha1_hex(headers, body, secret, header="X-Signature"):
    """X-Signature: <hex HMAC-SHA1 of the body>, keyed by the secret text, as Segment's webhooks send it."""
    value = _header(headers, header)
    if not value:
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()
    return any(hmac.compare_digest(entry.strip().lower().encode(), expected.encode()) for entry in value.split(","))


def verify(headers, body, secret, scheme="standard_webhooks", header=None):
    if scheme == "hmac_sha256_hex":
        return verify_hex(headers, body, secret, header or "X-Webhook-Signature")
    if scheme == "hmac_sha1_hex":
        return verify_sha1_hex(headers, body, secret, header or "X-Signature")
    if scheme == "standard_webhooks_ed25519":
        return verify_ed25519(headers, body, secret)
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
