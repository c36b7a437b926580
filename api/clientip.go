package api

import (
	"net"

	"github.com/labstack/echo/v4"
)

// ipExtractor decides once which address a request comes from; the access
// log, the rate limits and the audit log all read it through c.RealIP().
// With no trusted proxies the socket's peer address is the client, whatever
// headers say. With trusted proxies, X-Forwarded-For is read from the right
// and the first address that is not a trusted proxy is the client; a
// request whose peer is not trusted keeps its peer address. Loopback,
// link-local and private ranges are trusted only when listed.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
