// Package testtools gives the tests of other packages the real outside tools
// that they check the product with: headless Chromium driven by chromedp,
// axe-core for accessibility, LibreOffice for reading back Excel files, and a
// PostgreSQL schema of their own.
//
// A missing tool makes the test skip with a clear message on a developer
// machine, and fail when the environment variable CI is "true", so that CI
// never passes by skipping.
package testtools
