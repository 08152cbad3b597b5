// Verifies a Hookline webhook in Go with the standard library only (crypto/hmac, crypto/sha256, crypto/sha1, crypto/ed25519).
//
// Use Verify in your handler on the raw request body, before decoding JSON:
//
//	body, _ := io.ReadAll(r.Body)
//	if !Verify(r.Header, body, os.Getenv("HOOKLINE_SECRET"), "standard_webhooks", "") { w.WriteHeader(401); return }
//
// Run as a program it checks a saved request: go run . request.json
// (request.json: {"headers": {...}, "body_base64": "..."}; secret in HOOKLINE_SECRET,
// scheme in HOOKLINE_SCHEME: standard_webhooks (default), standard_webhooks_ed25519 (HOOKLINE_SECRET is then
// the destination's whpk_ public key), hmac_sha256_hex or hmac_sha1_hex).
package main

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

const toleranceSeconds = 300

// signedContent is "<id>.<timestamp>.<body>" and the offered signatures, or ok false when headers are missing or stale.
func signedContent(header http.Header, body []byte, now time.Time) (signed []byte, signatures []string, ok bool) {
	id, timestamp, offered := header.Get("webhook-id"), strings.TrimSpace(header.Get("webhook-timestamp")), header.Get("webhook-signature")
	if id == "" || timestamp == "" || offered == "" {
		return nil, nil, false
	}
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || now.Unix()-seconds > toleranceSeconds || seconds-now.Unix() > toleranceSeconds {
		return nil, nil, false // stale (or from the future): a replayed request
	}
	return append([]byte(id+"."+timestamp+"."), body...), strings.Split(offered, " "), true
}

// VerifyStandardWebhooks checks webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">,
// keyed by the base64 after whsec_ (a secret without the prefix is used as text).
func VerifyStandardWebhooks(header http.Header, body []byte, secret string, now time.Time) bool {
	signed, signatures, ok := signedContent(header, body, now)
	if !ok {
		return false
	}
	var err error
	key := []byte(secret)
	if strings.HasPrefix(secret, "whsec_") {
		if key, err = base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_")); err != nil {
			return false
		}
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(signed)
	expected := []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	// During a secret rotation the header holds two signatures, space-separated: either may match.
	for _, entry := range signatures {
		if strings.HasPrefix(entry, "v1,") && hmac.Equal([]byte(entry[3:]), expected) {
			return true
		}
	}
	return false
}

// VerifyEd25519 checks webhook-signature: v1a,<base64 ed25519 signature of "<id>.<timestamp>.<body>">
// with the destination's whpk_ public key: the receiver holds no secret.
func VerifyEd25519(header http.Header, body []byte, publicKey string, now time.Time) bool {
	raw, err := base64.StdEncoding.Strict().DecodeString(strings.TrimPrefix(publicKey, "whpk_"))
	if !strings.HasPrefix(publicKey, "whpk_") || err != nil || len(raw) != ed25519.PublicKeySize {
		return false
	}
	signed, signatures, ok := signedContent(header, body, now)
	if !ok {
		return false
	}
	for _, entry := range signatures {
		if !strings.HasPrefix(entry, "v1a,") {
			continue
		}
		signature, err := base64.StdEncoding.Strict().DecodeString(entry[4:])
		if err == nil && ed25519.Verify(ed25519.PublicKey(raw), signed, signature) {
			return true
		}
	}
	return false
}

// VerifySha1Hex checks X-Signature: <hex HMAC-SHA1 of the body>, keyed by the secret text, as Segment's webhooks send it.
func VerifySha1Hex(header http.Header, body []byte, secret, name string) bool {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(body)
	expected := []byte(hex.EncodeToString(mac.Sum(nil)))
	for _, entry := range strings.Split(header.Get(name), ",") {
		if hmac.Equal([]byte(strings.ToLower(strings.TrimSpace(entry))), expected) {
			return true
		}
	}
	return false
}

// VerifyHex checks X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the body>, keyed by the secret text (whsec_ included).
func VerifyHex(header http.Header, body []byte, secret, name string) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	expected := []byte("sha256=" + hex.EncodeToString(mac.Sum(nil)))
	for _, entry := range strings.Split(header.Get(name), ",") {
		if hmac.Equal([]byte(strings.ToLower(strings.TrimSpace(entry))), expected) {
			return true
		}
	}
	return false
}

// Verify picks the scheme the destination was created with; name is a hex scheme's header (empty: its default).
func Verify(header http.Header, body []byte, secret, scheme, name string) bool {
	switch scheme {
	case "hmac_sha256_hex":
		if name == "" {
			name = "X-Webhook-Signature"
		}
		return VerifyHex(header, body, secret, name)
	case "hmac_sha1_hex":
		if name == "" {
			name = "X-Signature"
		}
		return VerifySha1Hex(header, body, secret, name)
	case "standard_webhooks_ed25519":
		return VerifyEd25519(header, body, secret, time.Now())
	}
	return VerifyStandardWebhooks(header, body, secret, time.Now())
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Println("cannot read the saved request:", err)
		os.Exit(2)
	}
	var saved struct {
		Headers    map[string]string `json:"headers"`
		BodyBase64 string            `json:"body_base64"`
	}
	if err := json.Unmarshal(raw, &saved); err != nil {
		fmt.Println("cannot parse the saved request:", err)
		os.Exit(2)
	}
	body, _ := base64.StdEncoding.DecodeString(saved.BodyBase64)
	header := http.Header{}
	for name, value := range saved.Headers {
		header.Set(name, value)
	}
	if !Verify(header, body, os.Getenv("HOOKLINE_SECRET"), os.Getenv("HOOKLINE_SCHEME"), "") {
		fmt.Println("rejected: no valid signature")
		os.Exit(1)
	}
	var event struct{ ID, Type string }
	_ = json.Unmarshal(body, &event)
	fmt.Printf("verified %s %s\n", event.Type, event.ID)
}
