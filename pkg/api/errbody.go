package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/agentform/agentform/internal/redact"
)

// maxPlainMessage bounds how much of a non-JSON error body becomes a message.
const maxPlainMessage = 200

// errorBody is HighLevel's error shape: message is a string for 400/401/403/404
// and a list of strings for 422. Other fields (statusCode, error, traceId) are
// ignored.
type errorBody struct {
	Message json.RawMessage `json:"message"`
}

// newError builds the *Error for a non-2xx answer. Tokens, should a server
// ever echo one, are masked in the message.
func newError(method, path, location string, status int, body []byte, red *redact.Redactor) *Error {
	e := &Error{Method: method, Path: path, Location: location, Status: status}
	e.Message, e.Messages = parseErrorMessage(body)
	if red.Leaks(e.Message) {
		e.Message = red.String(e.Message)
		for i, m := range e.Messages {
			e.Messages[i] = red.String(m)
		}
	}
	return e
}

// parseErrorMessage extracts the message(s) of an error body. A body that is
// not HighLevel-shaped JSON yields its first line, shortened.
func parseErrorMessage(body []byte) (string, []string) {
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil && len(eb.Message) > 0 {
		var one string
		if json.Unmarshal(eb.Message, &one) == nil {
			return one, nil
		}
		var many []string
		if json.Unmarshal(eb.Message, &many) == nil {
			return strings.Join(many, "; "), many
		}
	}
	return plainMessage(body), nil
}

// plainMessage shortens a non-JSON body to its first line, valid UTF-8 only.
func plainMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if i := bytes.IndexByte(body, '\n'); i >= 0 {
		body = body[:i]
	}
	if len(body) > maxPlainMessage {
		body = body[:maxPlainMessage]
	}
	return strings.ToValidUTF8(strings.TrimSpace(string(body)), string(utf8.RuneError))
}
