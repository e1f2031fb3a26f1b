// Package store keeps the log of visitors' questions, and everything the
// staff loop shares among replicas, and answers the support staff's views
// of it. It is technology-neutral, over database/sql: the adapters
// web/store/sqlite (a file, the default) and web/store/postgres (a server
// several replicas share) give it a Database; its SQL is written once, with
// ? placeholders rebound for PostgreSQL, and its migrations are one list
// whose DDL differs per database only where the two do (migrate.go).
//
// Every turn a visitor takes (the question, the kind of answer, its
// confidence, the passage cited, the latency and any thumbs up or down) is
// written through one writer goroutine fed by a buffered channel: Record never
// waits for the disk, so a slow or failing disk never slows or breaks an
// answer. A failed write is counted, logged and shown in Health.
//
// A turn is acknowledged once its transaction commits (on SQLite: WAL mode,
// synchronous FULL, one fsync a commit, so a committed turn survives a crash
// and a power cut alike; on PostgreSQL, the server's commit): Flush waits for that, and nothing acknowledged is lost on
// restart. The writer commits whatever waits as soon as the commit before is
// done (at most maxBatch turns a transaction, a few milliseconds), so what a
// crash (kill -9, the OOM killer) loses on a sound disk is the turns of the
// last few milliseconds (docs/staff.md has measurements; the test
// TestKillDuringBurst makes them). It can never be more than maxUnwritten
// (200 ms) of traffic:
// once the oldest turn not yet committed has waited that long (a stalled
// disk), Record drops the next turns instead of queueing them, counted in
// Health.Dropped and logged. Close, as on SIGTERM, writes everything queued.
//
// At open, and after a purge fails, the database's integrity check
// (Database.Check: SQLite's PRAGMA quick_check reads the whole file) runs: a
// damaged database makes Health not OK, with the finding, and is logged.
// A database lost while serving (a server gone) fails the writes, counted
// in Health, and the pool reconnects at a later write. Health holds file
// paths, URLs without their password and the databases' error texts, for
// the staff; Health.Public is what anyone may see.
//
// No IP address or other identifier of the visitor is stored, and rows older
// than the retention are purged at start and then hourly; a failed purge is
// counted, logged and shown in Health until a purge succeeds. Each turn is
// stored with its key (random, chosen by the caller): feedback and the
// contact form find a turn through the store, whichever replica answered
// it and across restarts; a key no turn holds is ErrUnknownTurn.
//
// The staff views group questions worded alike (same content words after
// French analysis: case, accents, punctuation, stop words and inflections do
// not matter): the questions left unanswered, the answers disliked and the most
// asked questions, each also as CSV for spreadsheets (cells a spreadsheet would
// run as formulas defused). The log stores what visitors typed, escape
// sequences included: TerminalText shows such text safely on a terminal.
//
// The same database keeps the team's answers (entries.go) and the requests
// visitors send with the contact form (requests.go): each with its turns
// copied from the log (TurnsByKey), its status, and its webhook delivery's
// state, so that deliveries resume after a restart. The retention purges
// requests with the turns of the same age.
package store
