// Package sqlite is the question log's SQLite adapter (modernc.org/sqlite,
// embedded, nothing to install): it opens a database file readable by its
// owner only, in WAL mode with synchronous FULL, keeps the schema's version
// in PRAGMA user_version, checks the file with PRAGMA quick_check and backs
// it up with VACUUM INTO. The log itself is web/store's.
package sqlite
