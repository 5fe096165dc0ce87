package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// answer is a response built by an endpoint before it is sent (or dropped).
type answer struct {
	status int
	body   any
}

func reply(status int, body any) answer { return answer{status: status, body: body} }

// errBody is HighLevel's common error shape.
type errBody struct {
	StatusCode int    `json:"statusCode"`
	Message    any    `json:"message"`
	Error      string `json:"error,omitempty"`
}

func fail(status int, message string) answer {
	return answer{status: status, body: errBody{StatusCode: status, Message: message, Error: http.StatusText(status)}}
}

// badRequest is a 400 with the observed shape.
func badRequest(format string, a ...any) answer {
	return fail(http.StatusBadRequest, fmt.Sprintf(format, a...))
}

func noAgent(id string) answer  { return badRequest("No Agent found for the id: %s", id) }
func noAction(id string) answer { return badRequest("No Action found for the id: %s", id) }

func forbiddenLocation() answer {
	return fail(http.StatusForbidden, "The token does not have access to this location")
}

func invalidToken() answer {
	return fail(http.StatusUnauthorized, "Invalid token: access token is invalid")
}

// missingScope is the 401 observed in the wild (no "error" field).
func missingScope() answer {
	return answer{status: http.StatusUnauthorized, body: errBody{StatusCode: http.StatusUnauthorized, Message: "The token is not authorized for this scope."}}
}

// unprocessable is a 422 listing every validation message.
func unprocessable(msgs []string) answer {
	return answer{status: http.StatusUnprocessableEntity, body: errBody{
		StatusCode: http.StatusUnprocessableEntity, Message: msgs, Error: "Unprocessable Entity",
	}}
}

func encode(a answer) []byte {
	b, err := json.Marshal(a.body)
	if err != nil { // our own types: cannot happen
		panic(fmt.Sprintf("sandbox: encode answer: %v", err))
	}
	return b
}
