package web

import (
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
)

// panicFrames is how deep panicSite looks for the frame that panicked: the
// deferred function, the runtime's panic machinery, then the culprit.
const panicFrames = 16

// logPanic writes one error line for a panic recovered while serving a
// visitor: its value and where it happened, no stack trace (the server goes
// on; the line says enough to find the bug).
func (s *Server) logPanic(v any, attrs ...any) {
	attrs = append(attrs, "panic", fmt.Sprint(v), "at", panicSite())
	s.log.Error("panic while serving a visitor", attrs...)
}

// panicSite names the function and line that panicked: the first frame
// past runtime.gopanic that is not the runtime's own (an index out of range
// goes through runtime.goPanicIndex first). Called from a deferred function.
func panicSite() string {
	pcs := make([]uintptr, panicFrames)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	panicking := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			panicking = true
		case panicking && !strings.HasPrefix(f.Function, "runtime."):
			return fmt.Sprintf("%s (%s:%d)", f.Function, filepath.Base(f.File), f.Line)
		}
		if !more {
			return "?"
		}
	}
}

// recovering answers 500 (the API's error shape) when h panics, after one
// log line, instead of net/http's stack trace in the log and a connection cut.
// http.ErrAbortHandler, the way a handler aborts on purpose, goes through.
func (s *Server) recovering(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logPanic(v, "method", r.Method, "path", r.URL.Path)
			s.writeError(w, http.StatusInternalServerError, errInternal)
		}()
		h.ServeHTTP(w, r)
	})
}
