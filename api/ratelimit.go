package api

// Defaults of the respond routes' rate limit, per client address
// (internal/limits). They are generous because a whole office may share one
// address behind NAT; codes carry 160 random bits, so the limit guards
// against floods, not guessing.
const (
	defaultRespondRate  = 10 // requests per second
	defaultRespondBurst = 60
)
