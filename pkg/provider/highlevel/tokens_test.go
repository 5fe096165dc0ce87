package highlevel

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestTokenFor(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	jwtOf := func(loc string) string {
		return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(`{"authClass":"Location","authClassId":"`+loc+`"}`)) + ".c2ln"
	}
	const secret = "pit-4f3c2a1b-9d8e-4c7f-a6b5-1e2d3c4b5a69"
	env := map[string]string{
		"PLAIN":     secret,
		"NEWLINE":   "pit-11111111-2222-3333-4444-555555555555\n",
		"BEARER":    "Bearer " + secret,
		"INNER":     "pit-1111 2222",
		"JWT_OK":    jwtOf("locA"),
		"JWT_OTHER": jwtOf("locB"),
		"SHARED":    secret,
		"EMPTY":     "",
	}
	type call struct{ loc, env, wantErr, wantToken string }
	tests := []struct {
		name  string
		calls []call
	}{
		{"plain", []call{{"locA", "PLAIN", "", secret}}},
		{"trailing newline trimmed", []call{{"locA", "NEWLINE", "", "pit-11111111-2222-3333-4444-555555555555"}}},
		{"missing", []call{{"locA", "NOPE", "NOPE is not set", ""}}},
		{"empty", []call{{"locA", "EMPTY", "EMPTY is not set", ""}}},
		{"bearer prefix", []call{{"locA", "BEARER", `BEARER starts with "Bearer "`, ""}}},
		{"inner white space", []call{{"locA", "INNER", "white space", ""}}},
		{"jwt of the location", []call{{"locA", "JWT_OK", "", jwtOf("locA")}}},
		{"jwt of another location", []call{{"locA", "JWT_OTHER", "belongs to location locB, not locA", ""}}},
		{"same token, same location twice", []call{{"locA", "PLAIN", "", secret}, {"locA", "SHARED", "", secret}}},
		{"same token, two locations", []call{{"locA", "PLAIN", "", secret}, {"locB", "SHARED", "SHARED holds the same token as PLAIN of location locA", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &Credentials{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
			for _, c := range tt.calls {
				tok, err := g.Token(c.loc, c.env)
				if c.wantErr == "" {
					if err != nil || tok != c.wantToken {
						t.Fatalf("tokenFor(%s, %s) = %q, %v; want the token", c.loc, c.env, tok, err)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("tokenFor(%s, %s) error = %v; want %q", c.loc, c.env, err, c.wantErr)
				}
				for _, v := range env {
					if v != "" && strings.Contains(err.Error(), strings.TrimSpace(v)) {
						t.Fatalf("error %q shows a token", err)
					}
				}
			}
		})
	}
}
