# syntax=docker/dockerfile:1

# Build: SQLite needs cgo, so the build stage has gcc (the golang image does).
FROM golang:1.26-bookworm AS build
# The image pins GOTOOLCHAIN=local; auto lets an older 1.26.x image fetch the
# patch release go.mod asks for instead of failing.
ENV GOTOOLCHAIN=auto
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# `docker build --build-arg VERSION=1.2.3 .` makes `allypulse version` say so.
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/allypulse ./cmd/allypulse

# Run: glibc to match the cgo build, CA certificates for outgoing TLS, nothing else.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 allypulse \
 && useradd --system --uid 10001 --gid allypulse --home-dir /data --no-create-home --shell /usr/sbin/nologin allypulse \
 && install -d -o allypulse -g allypulse -m 0750 /data
COPY --from=build /out/allypulse /usr/local/bin/allypulse

USER allypulse
WORKDIR /data
VOLUME ["/data"]
# GODEBUG=madvdontneed=0: the Go runtime hands freed memory back with
# MADV_FREE, so the next release audit reuses it without page faults (about
# 0.1 s of a 100,000-response snapshot; docs/benchmarks.md). Memory the
# kernel has not reclaimed yet still counts in RSS.
ENV ALLYPULSE_ADDR=0.0.0.0:8080 \
    ALLYPULSE_DATABASE=/data/allypulse.db \
    GODEBUG=madvdontneed=0
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["/usr/local/bin/allypulse", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/allypulse"]
CMD ["serve"]
