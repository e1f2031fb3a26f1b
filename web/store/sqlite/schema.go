package sqlite

const schemaV1 = `
CREATE TABLE IF NOT EXISTS turns (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,            -- Unix time in milliseconds, UTC
	question   TEXT    NOT NULL,
	kind       TEXT    NOT NULL,            -- answer, no_answer, smalltalk
	confidence REAL    NOT NULL,
	passage    TEXT    NOT NULL DEFAULT '', -- id of the first citation
	latency_us INTEGER NOT NULL,
	feedback   TEXT    NOT NULL DEFAULT ''  -- '', up, down
);
CREATE INDEX IF NOT EXISTS turns_at ON turns(at);
`

// schemaV2 adds the team's answers and their versions.
const schemaV2 = `
CREATE TABLE IF NOT EXISTS entries (
	id         INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: versions and citations keep the id
	question   TEXT    NOT NULL,
	alternates TEXT    NOT NULL DEFAULT '', -- one a line
	answer     TEXT    NOT NULL,
	link       TEXT    NOT NULL DEFAULT '',
	passages   TEXT    NOT NULL DEFAULT '', -- passage ids, one a line
	enabled    INTEGER NOT NULL DEFAULT 1,
	version    INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,            -- Unix time in milliseconds, UTC
	created_by TEXT    NOT NULL,
	updated_at INTEGER NOT NULL,
	updated_by TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS entry_versions (
	entry      INTEGER NOT NULL,
	version    INTEGER NOT NULL,
	question   TEXT    NOT NULL,
	alternates TEXT    NOT NULL,
	answer     TEXT    NOT NULL,
	link       TEXT    NOT NULL,
	passages   TEXT    NOT NULL,
	enabled    INTEGER NOT NULL,
	at         INTEGER NOT NULL,
	by         TEXT    NOT NULL,
	PRIMARY KEY (entry, version)
);
`

// schemaV5 adds the staff accounts and sessions.
const schemaV5 = `
CREATE TABLE IF NOT EXISTS staff_accounts (
	name       TEXT    PRIMARY KEY,       -- as typed at sign-in, normalised by the web package
	role       TEXT    NOT NULL,          -- lecture, édition
	hash       TEXT    NOT NULL,          -- argon2id, PHC string with its salt and parameters
	created_at INTEGER NOT NULL,          -- Unix time in milliseconds, UTC
	created_by TEXT    NOT NULL,
	updated_at INTEGER NOT NULL,
	updated_by TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_sessions (
	id_hash    TEXT    PRIMARY KEY,       -- hex SHA-256 of the cookie's random id, never the id
	account    TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_sessions_account ON staff_sessions(account);
CREATE INDEX IF NOT EXISTS staff_sessions_expires ON staff_sessions(expires_at);
`

// schemaV6 adds the requests.
const schemaV6 = `
CREATE TABLE IF NOT EXISTS requests (
	id            INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: a ticket may quote it
	at            INTEGER NOT NULL,                  -- Unix time in milliseconds, UTC
	message       TEXT    NOT NULL,
	email         TEXT    NOT NULL DEFAULT '',       -- only when the visitor wants a reply
	turns         TEXT    NOT NULL DEFAULT '[]',     -- JSON: the conversation, copied from turns
	status        TEXT    NOT NULL DEFAULT 'new',    -- new, in_progress, done
	updated_at    INTEGER NOT NULL,
	updated_by    TEXT    NOT NULL DEFAULT '',
	hook_state    TEXT    NOT NULL DEFAULT '',       -- '', pending, delivered, failed
	hook_attempts INTEGER NOT NULL DEFAULT 0,
	hook_next     INTEGER NOT NULL DEFAULT 0,        -- when to try next, while pending
	hook_error    TEXT    NOT NULL DEFAULT ''        -- the last failure
);
CREATE INDEX IF NOT EXISTS requests_at ON requests(at);
CREATE INDEX IF NOT EXISTS requests_hook ON requests(hook_state, hook_next);
`

// schemaV7 adds the attached phrasings.
const schemaV7 = `
CREATE TABLE IF NOT EXISTS attachments (
	id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: the stamp counts on it
	phrasing    TEXT    NOT NULL,
	passage     TEXT    NOT NULL,            -- the passage's id at attach time
	doc         TEXT    NOT NULL,            -- its document
	fingerprint TEXT    NOT NULL,            -- index.Fingerprint of its text
	excerpt     TEXT    NOT NULL,            -- the start of its text, to show an orphan
	created_at  INTEGER NOT NULL,            -- Unix time in milliseconds, UTC
	created_by  TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS attachments_fingerprint ON attachments(fingerprint);
`

// schemaV8 keeps the suggestions staff rejected: a wording (as GroupKey
// reads it) for a passage (its text's fingerprint).
const schemaV8 = `
CREATE TABLE IF NOT EXISTS rejected_suggestions (
	fingerprint TEXT    NOT NULL,
	key         TEXT    NOT NULL,            -- GroupKey of the wording
	phrasing    TEXT    NOT NULL,            -- the wording as it was proposed
	at          INTEGER NOT NULL,            -- Unix time in milliseconds, UTC
	by          TEXT    NOT NULL,
	PRIMARY KEY (fingerprint, key)
);
`
