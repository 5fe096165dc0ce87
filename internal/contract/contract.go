// Package contract validates HTTP exchanges against the API documents the
// product is built on: HighLevel's published OpenAPI documents (Conversation
// AI, OAuth, locations, workflows, calendars, custom fields, users, knowledge
// bases) and the KrosAI document we wrote from its public pages.
//
// The documents are embedded (openapi/apps, openapi/common, openapi/krosai:
// unedited copies of ../shared/api kept in the same layout because the apps
// documents reference ../common/common-schemas.json; openapi/SHA256SUMS
// records their digests). Tests of other packages wrap their HTTP transport
// in a Recorder and fail on any Violations. Where a vendor document breaks
// OpenAPI rules the router enforces, normalize repairs it in memory, never
// changing what a request or a response may contain.
//
// Choices made where the documents are silent:
//   - Requests are routed on method and path only: the documents name
//     https://services.leadconnectorhq.com as their server, and the sandbox and
//     test servers listen elsewhere.
//   - Authentication is checked for presence only: a non-empty
//     "Authorization: Bearer <token>" header, or for KrosAI operations the
//     X-API-Key header its document declares as the alternative. Scopes are
//     the server's business.
//   - The Version header is checked against the documents' enum (2021-04-15),
//     so a client sending another Version is flagged.
//   - Statuses HighLevel's documents omit (403, 404, 429 and every 5xx) are
//     checked against the common error shape: a JSON object whose numeric
//     statusCode equals the HTTP status and whose message is a string.
//   - Statuses KrosAI's document omits (403, 404, 405, 413, 429 and every
//     5xx) are checked against its Error schema, strictly: a JSON object
//     whose detail is a string (an overlay in code, krosaiErrors; the
//     document is not edited). An unknown route under /v1 answers 404 in
//     that shape; a known KrosAI path with another method may answer 405.
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
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

//go:embed openapi
var files embed.FS

// Documents are the embedded API documents routed by Doc, in lookup order.
var Documents = []string{
	"apps/conversation-ai.json", "apps/oauth.json", "apps/locations.json", "apps/workflows.json",
	"apps/calendars.json", "apps/custom-fields.json", "apps/users.json", "apps/knowledge-base.json",
	"krosai/krosai.openapi.json",
}

// Doc is the loaded set of OpenAPI documents with a router and an error
// shape for each.
type Doc struct {
	specs   []*openapi3.T
	routers []routers.Router
	shapes  []errorShape
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
		r, err := legacy.NewRouter(spec, routerValidation...)
		if err != nil {
			return nil, fmt.Errorf("contract: router for %s: %w", name, err)
		}
		d.specs = append(d.specs, spec)
		d.routers = append(d.routers, r)
		shape := highLevelErrors
		if strings.HasPrefix(name, "krosai/") {
			shape = krosaiErrors
		}
		d.shapes = append(d.shapes, shape)
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
	mergeSynonymPaths(spec)
	declarePathParams(spec)
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

// declarePathParams declares, as a required string, every {param} of a path
// that an operation leaves undeclared. locations.json names {locationId} in
// paths such as /locations/{locationId}/timezones without declaring it.
func declarePathParams(spec *openapi3.T) {
	if spec.Paths == nil {
		return
	}
	for p, item := range spec.Paths.Map() {
		names := pathParam.FindAllStringSubmatch(p, -1)
		for _, op := range item.Operations() {
			for _, m := range names {
				if op.Parameters.GetByInAndName(openapi3.ParameterInPath, m[1]) != nil ||
					item.Parameters.GetByInAndName(openapi3.ParameterInPath, m[1]) != nil {
					continue
				}
				op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: openapi3.NewPathParameter(m[1]).
					WithSchema(openapi3.NewStringSchema())})
			}
		}
	}
}

// mergeSynonymPaths joins paths that differ only in the names of their
// parameters (knowledge-base.json has /knowledge-bases/{knowledgeBaseId} for
// GET and /knowledge-bases/{id} for PUT and DELETE), which a router cannot
// tell apart: the later path's operations move to the first one, their path
// parameters renamed to its names.
func mergeSynonymPaths(spec *openapi3.T) {
	if spec.Paths == nil {
		return
	}
	first := map[string]string{} // template with bare {} → first path
	for _, p := range spec.Paths.InMatchingOrder() {
		key := pathParam.ReplaceAllString(p, "{}")
		keep, seen := first[key]
		if !seen {
			first[key] = p
			continue
		}
		rename := map[string]string{}
		from, to := pathParam.FindAllStringSubmatch(p, -1), pathParam.FindAllStringSubmatch(keep, -1)
		for i := range from {
			rename[from[i][1]] = to[i][1]
		}
		target, item := spec.Paths.Value(keep), spec.Paths.Value(p)
		for method, op := range item.Operations() {
			if target.GetOperation(method) != nil {
				continue
			}
			params := append(openapi3.Parameters{}, item.Parameters...)
			params = append(params, op.Parameters...)
			op.Parameters = nil
			for _, ref := range params {
				if ref.Value != nil && ref.Value.In == openapi3.ParameterInPath {
					v := *ref.Value
					v.Name = rename[v.Name]
					ref = &openapi3.ParameterRef{Value: &v}
				}
				op.Parameters = append(op.Parameters, ref)
			}
			target.SetOperation(method, op)
		}
		spec.Paths.Delete(p)
	}
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

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

// routerValidation relaxes the document validation the router runs first:
// the vendor documents use OpenAPI 3.1 keywords (examples) in 3.0 documents
// and carry examples and defaults of the wrong type. None of that changes
// what a request or a response may contain.
var routerValidation = []openapi3.ValidationOption{
	openapi3.IsOpenAPI31OrLater(),
	openapi3.DisableExamplesValidation(),
	openapi3.DisableSchemaDefaultsValidation(),
	openapi3.DisableSchemaPatternValidation(),
	openapi3.DisableSchemaFormatValidation(),
}
