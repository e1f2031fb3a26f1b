// Package postgres is the question log's PostgreSQL adapter, for several
// replicas sharing one store: github.com/jackc/pgx/v5 through its
// database/sql driver, the schema's version in a table of its own, and
// migrations under an advisory lock so that replicas starting at once
// migrate once. The log itself is web/store's; pgtest starts a throwaway
// server for tests.
package postgres
