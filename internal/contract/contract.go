// Package contract validates HTTP exchanges against HighLevel's published
// OpenAPI documents for the Conversation AI and OAuth APIs.
//
// The documents are embedded (openapi/apps/*.json and openapi/common/*.json,
// copies of ../shared/api kept in the same layout because the apps documents
// reference ../common/common-schemas.json). Tests of other packages wrap their
// HTTP transport in a Recorder and fail on any Violations.
//
// Choices made where the documents are silent:
//   - Requests are routed on method and path only: the documents name
//     https://services.leadconnectorhq.com as their server, and the sandbox and
//     test servers listen elsewhere.
//   - Authentication is checked for presence only: a non-empty
//     "Authorization: Bearer <token>" header. Scopes are the server's business.
//   - The Version header is checked against the documents' enum (2021-04-15),
//     so a client sending another Version is flagged.
//   - Statuses the documents omit (403, 404, 429 and every 5xx) are checked
//     against the common error shape: a JSON object whose numeric statusCode
//     equals the HTTP status and whose message is a string.
//   - Any other undocumented status is a violation.
//
// The "details" oneOf of action bodies: the seven detail DTOs declare no
// additionalProperties=false but each has a distinct set of required fields,
// so a payload that carries exactly one DTO's fields matches exactly one of
// them. A payload padded with another type's required fields (for example a
// humanHandOver body that also carries workflowIds) matches two and is
// reported as "matches more than one"; such bodies are not legitimate.
package contract

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

//go:embed openapi
var files embed.FS

// Documents are the embedded API documents routed by Doc, in lookup order.
var Documents = []string{"apps/conversation-ai.json", "apps/oauth.json"}

// Doc is the loaded set of OpenAPI documents with a router for each.
type Doc struct {
	specs   []*openapi3.T
	routers []routers.Router
}

var (
	loadOnce sync.Once
	loaded   *Doc
	loadErr  error
)

// Load parses the embedded documents once and returns the shared Doc.
func Load() (*Doc, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

// Files returns the embedded documents, rooted at the openapi folder
// (apps/conversation-ai.json, apps/oauth.json, common/common-schemas.json).
func Files() fs.FS {
	sub, err := fs.Sub(files, "openapi")
	if err != nil {
		panic(err) // cannot happen: the folder is embedded
	}
	return sub
}

func load() (*Doc, error) {
	d := &Doc{}
	for _, name := range Documents {
		spec, err := loadSpec(name)
		if err != nil {
			return nil, err
		}
		// Route on path alone: the sandbox does not listen on the documented host.
		spec.Servers = nil
		normalize(spec)
		r, err := legacy.NewRouter(spec, openapi3.DisableExamplesValidation())
		if err != nil {
			return nil, fmt.Errorf("contract: router for %s: %w", name, err)
		}
		d.specs = append(d.specs, spec)
		d.routers = append(d.routers, r)
	}
	return d, nil
}

func loadSpec(name string) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = readEmbedded
	spec, err := loader.LoadFromURI(&url.URL{Path: "openapi/" + name})
	if err != nil {
		return nil, fmt.Errorf("contract: load %s: %w", name, err)
	}
	return spec, nil
}

// normalize repairs, in memory, the spots where HighLevel's documents break
// OpenAPI 3.0 rules that kin-openapi enforces before it builds a router,
// without changing what any request or response may contain.
func normalize(spec *openapi3.T) {
	fillMissingItems(spec)
	if spec.Components == nil {
		return
	}
	// "in" and "name" belong to apiKey schemes only; the documents put them on
	// their http/bearer schemes too.
	for _, ref := range spec.Components.SecuritySchemes {
		if ref != nil && ref.Value != nil && ref.Value.Type == "http" {
			ref.Value.In, ref.Value.Name = "", ""
		}
	}
}

// fillMissingItems gives every array schema without "items" an empty
// (accept anything) items schema. FetchAIResponseDetailsResponseDTO declares
// faqs, website, actionLogs and history as bare arrays, which JSON Schema
// reads as "any items" but kin-openapi's document validation rejects.
func fillMissingItems(spec *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if s.Type.Is(openapi3.TypeArray) && s.Items == nil {
			s.Items = openapi3.NewSchemaRef("", &openapi3.Schema{})
		}
		walk(s.Items)
		for _, p := range s.Properties {
			walk(p)
		}
		for _, group := range [][]*openapi3.SchemaRef{s.OneOf, s.AnyOf, s.AllOf} {
			for _, sub := range group {
				walk(sub)
			}
		}
	}
	if spec.Components != nil {
		for _, ref := range spec.Components.Schemas {
			walk(ref)
		}
	}
}

// readEmbedded serves the loader's reads (the document and the relative refs
// it contains) from the embedded files only.
func readEmbedded(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
	if u.Scheme != "" || u.Host != "" {
		return nil, fmt.Errorf("contract: refusing to read %s: only embedded documents are allowed", u)
	}
	p := path.Clean(u.Path)
	b, err := files.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("contract: read %s: %w", p, err)
	}
	return b, nil
}

// ErrNoRoute is returned when a request matches no operation of any document.
var ErrNoRoute = errors.New("no operation in the API documents matches this request")
