package rest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// MaxBody bounds how much of an answer is read.
const MaxBody = 16 << 20

// DefaultAttemptTimeout bounds one attempt of the default HTTP client.
const DefaultAttemptTimeout = 30 * time.Second

// CheckBaseURL accepts https URLs, and http URLs whose host is loopback. It
// returns the URL without a trailing slash.
func CheckBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL: %w", err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("base URL %q has no host", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q must not carry credentials, a query or a fragment", u.Redacted())
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return "", fmt.Errorf("base URL %q: plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https", raw)
		}
	default:
		return "", fmt.Errorf("base URL %q: scheme must be https (or http for a loopback host)", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// IsLoopback reports whether host is localhost or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ModuleVersion is the version of the agentform module in this binary, or "dev".
func ModuleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "dev"
	}
	return bi.Main.Version
}

// sharedTransport is the Transport of every default client, so that clients
// share one pool of kept-alive connections.
var sharedTransport = sync.OnceValue(func() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
})

// DefaultHTTPClient bounds each attempt to DefaultAttemptTimeout and follows
// no redirect: an API answer is never a redirect, and following one could
// carry the credential elsewhere.
func DefaultHTTPClient() *http.Client {
	return &http.Client{
		Transport: sharedTransport(),
		Timeout:   DefaultAttemptTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// ReadBody reads an answer up to MaxBody.
func ReadBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if err != nil {
		return body, err
	}
	if len(body) > MaxBody {
		return nil, fmt.Errorf("answer larger than %d bytes", MaxBody)
	}
	return body, nil
}

// Permanent reports transport failures that a retry cannot fix (certificate
// errors).
func Permanent(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr)
}
