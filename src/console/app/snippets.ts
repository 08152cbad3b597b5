// Receiver verification snippets for each signature scheme, in Node, Python and Go, with the destination's own header.

export type Language = 'Node' | 'Python' | 'Go';
export const LANGUAGES: Language[] = ['Node', 'Python', 'Go'];

const standard: Record<Language, string> = {
  Node: `import { Webhook } from 'standardwebhooks'; // npm install standardwebhooks

// rawBody: the request body as received, before any JSON parsing
const event = new Webhook(process.env.HOOKLINE_SECRET).verify(rawBody, request.headers); // throws if invalid`,
  Python: `from standardwebhooks.webhooks import Webhook  # pip install standardwebhooks

# raw_body: the request body bytes as received
event = Webhook(os.environ["HOOKLINE_SECRET"]).verify(raw_body, request.headers)  # raises if invalid`,
  Go: `import standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

wh, _ := standardwebhooks.NewWebhook(os.Getenv("HOOKLINE_SECRET"))
// rawBody: the request body bytes as received
if err := wh.Verify(rawBody, r.Header); err != nil {
	http.Error(w, "invalid signature", http.StatusUnauthorized)
	return
}`,
};

function hex(header: string, algorithm: 'sha256' | 'sha1'): Record<Language, string> {
  const lower = header.toLowerCase();
  const prefix = algorithm === 'sha256' ? "'sha256=' + " : '';
  const pyPrefix = algorithm === 'sha256' ? '"sha256=" + ' : '';
  const goPrefix = algorithm === 'sha256' ? '"sha256=" + ' : '';
  const goHash = algorithm === 'sha256' ? 'sha256.New' : 'sha1.New';
  return {
    Node: `import { createHmac, timingSafeEqual } from 'node:crypto';

const expected = ${prefix}createHmac('${algorithm}', process.env.HOOKLINE_SECRET).update(rawBody).digest('hex');
const given = request.headers['${lower}'] ?? '';
const valid = given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));`,
    Python: `import hashlib, hmac, os

expected = ${pyPrefix}hmac.new(os.environ["HOOKLINE_SECRET"].encode(), raw_body, hashlib.${algorithm}).hexdigest()
valid = hmac.compare_digest(request.headers.get("${header}", ""), expected)`,
    Go: `mac := hmac.New(${goHash}, []byte(os.Getenv("HOOKLINE_SECRET")))
mac.Write(rawBody)
expected := ${goPrefix}hex.EncodeToString(mac.Sum(nil))
valid := hmac.Equal([]byte(r.Header.Get("${header}")), []byte(expected))`,
  };
}

/** v1a: the receiver holds the destination's public key (HOOKLINE_PUBLIC_KEY, whpk_…), no secret. */
const ed25519: Record<Language, string> = {
  Node: `import { verifyWebhook } from '@hookline/verify'; // npm install @hookline/verify

// rawBody: the request body as received, before any JSON parsing
const valid = verifyWebhook({ scheme: 'standard_webhooks_ed25519', headers: request.headers, body: rawBody, secret: process.env.HOOKLINE_PUBLIC_KEY });`,
  Python: `import base64, os  # pip install cryptography
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

key = Ed25519PublicKey.from_public_bytes(base64.b64decode(os.environ["HOOKLINE_PUBLIC_KEY"].removeprefix("whpk_")))
signed = f'{headers["webhook-id"]}.{headers["webhook-timestamp"]}.'.encode() + raw_body
# check webhook-timestamp is within 5 minutes, then: any v1a signature that verifies (key.verify raises if not)
key.verify(base64.b64decode(headers["webhook-signature"].split(" ")[0].removeprefix("v1a,")), signed)`,
  Go: `raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(os.Getenv("HOOKLINE_PUBLIC_KEY"), "whpk_"))
signed := append([]byte(r.Header.Get("webhook-id")+"."+r.Header.Get("webhook-timestamp")+"."), rawBody...)
// check webhook-timestamp is within 5 minutes, then: any v1a signature that verifies
for _, entry := range strings.Split(r.Header.Get("webhook-signature"), " ") {
	signature, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(entry, "v1a,"))
	if err == nil && strings.HasPrefix(entry, "v1a,") && ed25519.Verify(ed25519.PublicKey(raw), signed, signature) {
		valid = true
	}
}`,
};

export function verificationSnippet(scheme: string, header: string | null, language: Language): string {
  if (scheme === 'hmac_sha256_hex') return hex(header ?? 'X-Webhook-Signature', 'sha256')[language];
  if (scheme === 'hmac_sha1_hex') return hex(header ?? 'X-Signature', 'sha1')[language];
  if (scheme === 'standard_webhooks_ed25519') return ed25519[language];
  return standard[language];
}
