package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// The staff's named accounts and their sessions. An account holds its
// password's hash only (the web package hashes); a session is stored under
// the SHA-256 of its cookie's id, so that reading the database does not
// give a way in. Sessions live here rather than in a server's memory: a
// restart signs no one out, and signing out on one replica of a shared
// database signs out on all.

// The staff roles.
const (
	// RoleRead sees every view, search and permalink, and changes nothing.
	RoleRead = "lecture"
	// RoleEdit may also change the team's answers, attachments, requests
	// and accounts.
	RoleEdit = "édition"
)

// BootstrapAccount names the sessions the bootstrap token opens, in what
// they record: it cannot be an account's name (no space is allowed
// there). Adding an account ends them: the token's rights stop at once.
const BootstrapAccount = "jeton d’amorçage"

// StaffAccount is a named staff member.
type StaffAccount struct {
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Hash      string    `json:"-"` // never leaves the server
	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by"`
	Updated   time.Time `json:"updated"`
	UpdatedBy string    `json:"updated_by"`
}

// StaffSession is a signed-in staff member.
type StaffSession struct {
	IDHash  string // hex SHA-256 of the cookie's id
	Account string
	Role    string
	Expires time.Time
}

var (
	// ErrNoStaffAccount is returned for an account name that does not exist.
	ErrNoStaffAccount = errors.New("compte inconnu")
	// ErrStaffAccountExists is returned when adding a name already taken.
	ErrStaffAccountExists = errors.New("compte existant")
	// ErrLastEditor is returned when a removal or a role change would
	// leave no account able to edit (the bootstrap token no longer signs
	// in once an account exists: nobody could manage the accounts then).
	ErrLastEditor = errors.New("dernier compte en édition")
	// ErrNoStaffSession is returned for a session unknown or expired.
	ErrNoStaffSession = errors.New("session inconnue ou expirée")
)

// StaffAccounts lists the accounts by name, in French order: sorted here
// rather than by the database, whose order of « é » differs (SQLite's
// bytes, PostgreSQL's collation).
func (l *Log) StaffAccounts(ctx context.Context) ([]StaffAccount, error) {
	db, err := l.database()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT name, role, hash, created_at, created_by, updated_at, updated_by
		FROM staff_accounts`)
	if err != nil {
		return nil, fmt.Errorf("staff accounts: %w", err)
	}
	defer rows.Close()
	var out []StaffAccount
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("staff accounts: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("staff accounts: %w", err)
	}
	sortAccounts(out)
	return out, nil
}

// sortAccounts sorts accounts by name in French order (« élise » between
// « eddy » and « eric »), the same whatever the database.
func sortAccounts(accounts []StaffAccount) {
	c := collate.New(language.French) // not safe for concurrent use: one per call
	sort.SliceStable(accounts, func(i, j int) bool {
		return c.CompareString(accounts[i].Name, accounts[j].Name) < 0
	})
}

// scanAccount reads one row of staff_accounts.
func scanAccount(row interface{ Scan(...any) error }) (StaffAccount, error) {
	var a StaffAccount
	var created, updated int64
	if err := row.Scan(&a.Name, &a.Role, &a.Hash, &created, &a.CreatedBy, &updated, &a.UpdatedBy); err != nil {
		return StaffAccount{}, err
	}
	a.Created, a.Updated = fromMillis(created), fromMillis(updated)
	return a, nil
}

// StaffAccount returns the account name, ErrNoStaffAccount when there is none.
func (l *Log) StaffAccount(ctx context.Context, name string) (StaffAccount, error) {
	db, err := l.database()
	if err != nil {
		return StaffAccount{}, err
	}
	a, err := scanAccount(db.QueryRowContext(ctx, `SELECT name, role, hash, created_at, created_by, updated_at, updated_by
		FROM staff_accounts WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return StaffAccount{}, ErrNoStaffAccount
	}
	if err != nil {
		return StaffAccount{}, fmt.Errorf("staff account %q: %w", name, err)
	}
	return a, nil
}

// HasStaffAccounts reports whether any account exists: until one does, the
// bootstrap token signs in.
func (l *Log) HasStaffAccounts(ctx context.Context) (bool, error) {
	db, err := l.database()
	if err != nil {
		return false, err
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM staff_accounts`).Scan(&n); err != nil {
		return false, fmt.Errorf("staff accounts: %w", err)
	}
	return n > 0, nil
}

// AddStaffAccount stores a new account (its Name, Role and Hash); by names
// who added it. A name taken gives ErrStaffAccountExists. The bootstrap
// token's sessions end in the same transaction: once an account exists
// the token no longer signs in, and what it opened no longer edits.
func (l *Log) AddStaffAccount(ctx context.Context, a StaffAccount, by string) error {
	db, err := l.database()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add staff account %q: %w", a.Name, err)
	}
	defer tx.Rollback()
	now := millis(l.now())
	res, err := tx.ExecContext(ctx, `INSERT INTO staff_accounts (name, role, hash, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, a.Name, a.Role, a.Hash, now, by, now, by)
	if err != nil {
		return fmt.Errorf("add staff account %q: %w", a.Name, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrStaffAccountExists
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE account = ?`, BootstrapAccount); err != nil {
		return fmt.Errorf("add staff account %q: end the token's sessions: %w", a.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add staff account %q: %w", a.Name, err)
	}
	return nil
}

// SetStaffRole changes the role of account name, and of its sessions at
// once; demoting the last édition account gives ErrLastEditor.
func (l *Log) SetStaffRole(ctx context.Context, name, role, by string) error {
	return l.staffChange(ctx, name, role != RoleEdit, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE staff_accounts SET role = ?, updated_at = ?, updated_by = ? WHERE name = ?`,
			role, millis(l.now()), by, name); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE staff_sessions SET role = ? WHERE account = ?`, role, name)
		return err
	})
}

// SetStaffPassword replaces the password hash of account name and ends its
// sessions: a password changed because it leaked locks out whoever used it.
func (l *Log) SetStaffPassword(ctx context.Context, name, hash, by string) error {
	return l.staffChange(ctx, name, false, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE staff_accounts SET hash = ?, updated_at = ?, updated_by = ? WHERE name = ?`,
			hash, millis(l.now()), by, name); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE account = ?`, name)
		return err
	})
}

// RemoveStaffAccount deletes account name and its sessions; removing the
// last édition account gives ErrLastEditor.
func (l *Log) RemoveStaffAccount(ctx context.Context, name string) error {
	return l.staffChange(ctx, name, true, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_accounts WHERE name = ?`, name); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE account = ?`, name)
		return err
	})
}

// staffChange runs change on account name in one transaction:
// ErrNoStaffAccount when it does not exist and, when losesEdit (the change
// takes its édition role away), ErrLastEditor when it is the last one.
// The transaction first takes the adapter's lock (PostgreSQL's advisory
// lock; SQLite's transactions are serialised already): at READ COMMITTED
// two demotions of the last two editors would otherwise both count two
// and both pass.
func (l *Log) staffChange(ctx context.Context, name string, losesEdit bool, change func(*Tx) error) error {
	db, err := l.database()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("staff account %q: %w", name, err)
	}
	defer tx.Rollback()
	if err := l.source.Lock(ctx, tx.Tx); err != nil {
		return fmt.Errorf("staff account %q: lock: %w", name, err)
	}
	var role string
	switch err := tx.QueryRowContext(ctx, `SELECT role FROM staff_accounts WHERE name = ?`, name).Scan(&role); {
	case errors.Is(err, sql.ErrNoRows):
		return ErrNoStaffAccount
	case err != nil:
		return fmt.Errorf("staff account %q: %w", name, err)
	}
	if losesEdit && role == RoleEdit {
		var editors int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM staff_accounts WHERE role = ?`, RoleEdit).Scan(&editors); err != nil {
			return fmt.Errorf("staff account %q: %w", name, err)
		}
		if editors <= 1 {
			return ErrLastEditor
		}
	}
	if err := change(tx); err != nil {
		return fmt.Errorf("staff account %q: %w", name, err)
	}
	return tx.Commit()
}

// CreateStaffSession stores s, and deletes the sessions expired by s's
// creation time now: the table holds live sessions only.
func (l *Log) CreateStaffSession(ctx context.Context, s StaffSession, now time.Time) error {
	db, err := l.database()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("staff session: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE expires_at <= ?`, millis(now)); err != nil {
		return fmt.Errorf("purge staff sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO staff_sessions (id_hash, account, role, expires_at) VALUES (?, ?, ?, ?)`,
		s.IDHash, s.Account, s.Role, millis(s.Expires)); err != nil {
		return fmt.Errorf("staff session: %w", err)
	}
	return tx.Commit()
}

// StaffSession returns the session stored under idHash if it is still live
// at now, ErrNoStaffSession otherwise.
func (l *Log) StaffSession(ctx context.Context, idHash string, now time.Time) (StaffSession, error) {
	db, err := l.database()
	if err != nil {
		return StaffSession{}, err
	}
	s := StaffSession{IDHash: idHash}
	var expires int64
	err = db.QueryRowContext(ctx, `SELECT account, role, expires_at FROM staff_sessions WHERE id_hash = ? AND expires_at > ?`,
		idHash, millis(now)).Scan(&s.Account, &s.Role, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return StaffSession{}, ErrNoStaffSession
	}
	if err != nil {
		return StaffSession{}, fmt.Errorf("staff session: %w", err)
	}
	s.Expires = fromMillis(expires)
	return s, nil
}

// DeleteStaffSession ends the session stored under idHash (none: no error).
func (l *Log) DeleteStaffSession(ctx context.Context, idHash string) error {
	db, err := l.database()
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM staff_sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("end staff session: %w", err)
	}
	return nil
}
