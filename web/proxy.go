package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// ParseTrustedProxies reads a comma-separated list of addresses and CIDR
// ranges ("10.0.0.0/8,127.0.0.1"), for Config.TrustedProxies. A bare
// address is a range of one.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("proxy %q : ni une adresse IP ni une plage CIDR (exemple : 10.0.0.0/8)", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// trusted reports whether a is one of the trusted proxies (none when no
// range is configured).
func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peerAddr is the address of the connection a request came on.
func peerAddr(r *http.Request) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(r.RemoteAddr)
	return a.Unmap(), err == nil
}

// fromTrustedProxy reports whether r came from one of the trusted proxies.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	peer, ok := peerAddr(r)
	return ok && s.trusted(peer)
}

// visitorIP is the visitor's address, for per-address limits. From a peer
// that is not a trusted proxy: the peer, whatever its headers say. From a
// trusted proxy: X-Forwarded-For read from the right (each proxy appends
// the address it got the request from), skipping trusted proxies; the first
// other address is the visitor, and what lies left of it, written by the
// visitor, is never read. A malformed entry stops the walk at the proxy
// that wrote it.
func (s *Server) visitorIP(r *http.Request) string {
	peer, ok := peerAddr(r)
	if !ok {
		return clientIP(r)
	}
	if !s.trusted(peer) {
		return peer.String()
	}
	hop := peer
	values := r.Header.Values("X-Forwarded-For")
	for i := len(values) - 1; i >= 0; i-- {
		parts := strings.Split(values[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return hop.String()
			}
			a = a.Unmap()
			if !s.trusted(a) {
				return a.String()
			}
			hop = a
		}
	}
	return hop.String() // every hop is a trusted proxy: the farthest one
}

// isHTTPS reports whether the visitor reached the server over https: its
// own TLS, a trusted proxy's X-Forwarded-Proto, or an https PublicURL (the
// proxy in front then terminates TLS).
func (s *Server) isHTTPS(r *http.Request) bool {
	if r.TLS != nil || (s.public != nil && s.public.Scheme == "https") {
		return true
	}
	if !s.fromTrustedProxy(r) {
		return false
	}
	// The nearest proxy's word: the last value.
	values := r.Header.Values("X-Forwarded-Proto")
	if len(values) == 0 {
		return false
	}
	parts := strings.Split(values[len(values)-1], ",")
	return strings.EqualFold(strings.TrimSpace(parts[len(parts)-1]), "https")
}

// parsePublicURL checks Config.PublicURL: http or https, a host, nothing
// else but a path.
func parsePublicURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("web: public URL " + fmt.Sprintf("%q", raw) + ": want http(s)://host[:port][/path]")
	}
	return u, nil
}

// visitorKey is the request context key of the visitor's address.
type visitorKey struct{}

// visitorAddr is the visitor's address of a request served by a Server,
// as Server.visitorIP sees it (X-Forwarded-For honoured from trusted
// proxies only): per-address limits of added routes, such as the staff
// sign-in, count the same visitors as the chat's. Outside a Server, the
// peer's.
func visitorAddr(r *http.Request) string {
	if ip, ok := r.Context().Value(visitorKey{}).(string); ok {
		return ip
	}
	return clientIP(r)
}

// httpsKey is the request context key of isHTTPS's verdict.
type httpsKey struct{}

// secureRequest reports whether the visitor of a request served by a
// Server came over https (Server.isHTTPS): the staff cookie is then Secure.
// Outside a Server, whether the request itself is TLS.
func secureRequest(r *http.Request) bool {
	if v, ok := r.Context().Value(httpsKey{}).(bool); ok {
		return v
	}
	return r.TLS != nil
}

// clientIP is the address a request comes from, without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
