// Package web is Causette on the web: the chat page, the WebSocket protocol
// behind it (/ws), the JSON API (/api/ask, /api/search) and the health check.
//
// A Server holds its dependencies (the chat engine, the index, the limits and
// the logger); all its routes are set up in one place, Server.routes (the
// widget's included, see widgetRoutes). The staff console adds its own
// through Config.Routes, and follows visitor turns through the Config.OnTurn
// and Config.OnFeedback callbacks, off the answer path.
//
// The protocol is described in docs/protocol.md.
package web
