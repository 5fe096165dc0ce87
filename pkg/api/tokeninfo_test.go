package api

import (
	"encoding/base64"
	"testing"
)

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestTokenLocation(t *testing.T) {
	tests := []struct {
		name, token, want string
		ok                bool
	}{
		{"location token", jwt(`{"authClass":"Location","authClassId":"loc123","sub":"x"}`), "loc123", true},
		{"company token", jwt(`{"authClass":"Company","authClassId":"comp9"}`), "", false},
		{"locationId claim", jwt(`{"locationId":"loc456"}`), "loc456", true},
		{"no claim", jwt(`{"sub":"x"}`), "", false},
		{"private integration token", "pit-4f3c2a1b-9d8e-4c7f-a6b5-1e2d3c4b5a69", "", false},
		{"bad base64", "a.!!!.c", "", false},
		{"not json", "a." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".c", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := TokenLocation(tt.token)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("TokenLocation = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
