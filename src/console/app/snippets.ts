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

function hex(header: string): Record<Language, string> {
  const lower = header.toLowerCase();
  return {
    Node: `import { createHmac, timingSafeEqual } from 'node:crypto';

const expected = 'sha256=' + createHmac('sha256', process.env.HOOKLINE_SECRET).update(rawBody).digest('hex');
const given = request.headers['${lower}'] ?? '';
const valid = given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));`,
    Python: `import hashlib, hmac, os

expected = "sha256=" + hmac.new(os.environ["HOOKLINE_SECRET"].encode(), raw_body, hashlib.sha256).hexdigest()
valid = hmac.compare_digest(request.headers.get("${header}", ""), expected)`,
    Go: `mac := hmac.New(sha256.New, []byte(os.Getenv("HOOKLINE_SECRET")))
mac.Write(rawBody)
expected := "sha256=" + hex.EncodeToString(mac.Sum(nil))
valid := hmac.Equal([]byte(r.Header.Get("${header}")), []byte(expected))`,
  };
}

export function verificationSnippet(scheme: string, header: string | null, language: Language): string {
  return scheme === 'hmac_sha256_hex' ? hex(header ?? 'X-Webhook-Signature')[language] : standard[language];
}
