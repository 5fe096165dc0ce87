package krosai

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Owns reports whether path is a KrosAI path: /v1 or below. HighLevel's
// paths never start with /v1.
func Owns(path string) bool { return path == "/v1" || strings.HasPrefix(path, "/v1/") }

// Request is one authenticated request, with its transaction open.
type Request struct {
	DB      DB
	Account Account
	Now     time.Time
	Header  http.Header // the request's headers (Content-Type of uploads)
	Body    []byte
	Config  Config
}

// Config are the KrosAI settings of a sandbox.
type Config struct {
	// IndexDelay is how long an uploaded document stays "processing" on the
	// sandbox clock; 0 means DefaultIndexDelay, a negative value none.
	IndexDelay time.Duration
}

// DefaultIndexDelay is how long an uploaded document stays "processing".
const DefaultIndexDelay = 2 * time.Second

func (c Config) indexDelay() time.Duration {
	switch {
	case c.IndexDelay == 0:
		return DefaultIndexDelay
	case c.IndexDelay < 0:
		return 0
	}
	return c.IndexDelay
}

// Answer is a response before it is sent: a status and a JSON body.
type Answer struct {
	Status int
	Body   any
}

// errorBody is the error shape: {"detail": "..."}.
type errorBody struct {
	Detail string `json:"detail"`
}

// Errorf is an error answer {"detail": "..."}.
func Errorf(status int, format string, a ...any) Answer {
	return Answer{Status: status, Body: errorBody{Detail: fmt.Sprintf(format, a...)}}
}

func ok(body any) Answer { return Answer{Status: http.StatusOK, Body: body} }

func badRequest(format string, a ...any) Answer { return Errorf(http.StatusBadRequest, format, a...) }

// NotFound is the answer to a path no operation has.
func NotFound() Answer { return Errorf(http.StatusNotFound, "Not Found") }

// MethodNotAllowed is the answer to a path served for other methods only.
func MethodNotAllowed() Answer { return Errorf(http.StatusMethodNotAllowed, "Method Not Allowed") }

// TooManyRequests is the answer to a request over the account's rate limit.
func TooManyRequests(retryAfter string) Answer {
	return Errorf(http.StatusTooManyRequests, "Rate limit exceeded: retry in %s s", retryAfter)
}

// ServerError is the answer of an injected or real server failure.
func ServerError(status int) Answer { return Errorf(status, "%s", http.StatusText(status)) }

// BodyTooLarge is the answer to a request body over MaxRequestBody.
func BodyTooLarge() Answer {
	return Errorf(http.StatusRequestEntityTooLarge, "Request body too large: a document may have at most %d bytes (10 MiB)", MaxDocumentSize)
}

// MaxDocumentSize is the largest document an upload takes: 10 MiB
// (10,485,760 bytes), the reading of "10MB" that accepts the most.
const MaxDocumentSize = 10 << 20

// MaxRequestBody bounds the bytes read of any KrosAI request: a largest
// document and room for the multipart framing. A body over it answers 413.
const MaxRequestBody = MaxDocumentSize + 1<<20

// Endpoint is one routed operation.
type Endpoint struct {
	serve func(*call) Answer
}

// Serve runs the operation.
func (e Endpoint) Serve(r Request) Answer {
	return e.serve(&call{Request: r})
}

// call is one request inside an operation.
type call struct {
	Request
}

// Route maps a method and path to an operation. For a path the API serves
// with other methods only it returns those methods (for Allow and a 405);
// for a path it does not serve at all, none (a 404).
func Route(method, path string) (ep Endpoint, allow []string, found bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(segs) < 2 || segs[0] != "v1" {
		return Endpoint{}, nil, false
	}
	for _, s := range segs {
		if s == "" {
			return Endpoint{}, nil, false
		}
	}
	ops := map[string]func(*call) Answer{}
	switch segs = segs[1:]; {
	case len(segs) == 1 && segs[0] == "agents":
		ops[http.MethodGet] = (*call).listAgents
		ops[http.MethodPost] = (*call).createAgent
	case len(segs) == 2 && segs[0] == "agents":
		id := segs[1]
		ops[http.MethodGet] = func(c *call) Answer { return c.getAgent(id) }
		ops[http.MethodPut] = func(c *call) Answer { return c.updateAgent(id) }
		ops[http.MethodDelete] = func(c *call) Answer { return c.deleteAgent(id) }
	case len(segs) == 3 && segs[0] == "agents" && segs[2] == "voice":
		id := segs[1]
		ops[http.MethodPost] = func(c *call) Answer { return c.startVoiceSession(id) }
	case len(segs) == 1 && segs[0] == "conversations":
		ops[http.MethodGet] = (*call).listConversations
		ops[http.MethodPost] = (*call).createConversation
	case len(segs) == 2 && segs[0] == "conversations":
		id := segs[1]
		ops[http.MethodGet] = func(c *call) Answer { return c.getConversation(id) }
	case len(segs) == 3 && segs[0] == "conversations" && segs[2] == "messages":
		id := segs[1]
		ops[http.MethodGet] = func(c *call) Answer { return c.listMessages(id) }
	case len(segs) == 1 && segs[0] == "knowledge-bases":
		ops[http.MethodGet] = (*call).listKnowledgeBases
		ops[http.MethodPost] = (*call).createKnowledgeBase
	case len(segs) == 3 && segs[0] == "knowledge-bases" && segs[2] == "documents":
		id := segs[1]
		ops[http.MethodGet] = func(c *call) Answer { return c.listDocuments(id) }
		ops[http.MethodPost] = func(c *call) Answer { return c.uploadDocument(id) }
	default:
		return Endpoint{}, nil, false
	}
	if h, ok := ops[method]; ok {
		return Endpoint{serve: h}, nil, true
	}
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if ops[m] != nil {
			allow = append(allow, m)
		}
	}
	return Endpoint{}, allow, false
}
