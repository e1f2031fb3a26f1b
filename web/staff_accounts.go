package web

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/causette/causette/web/store"
)

// staffStore is what the console needs of the staff accounts and
// sessions; the store (SQLite or PostgreSQL) holds them.
type staffStore interface {
	StaffAccounts(ctx context.Context) ([]store.StaffAccount, error)
	StaffAccount(ctx context.Context, name string) (store.StaffAccount, error)
	HasStaffAccounts(ctx context.Context) (bool, error)
	AddStaffAccount(ctx context.Context, a store.StaffAccount, by string) error
	SetStaffRole(ctx context.Context, name, role, by string) error
	SetStaffPassword(ctx context.Context, name, hash, by string) error
	RemoveStaffAccount(ctx context.Context, name string) error
	CreateStaffSession(ctx context.Context, s store.StaffSession, now time.Time) error
	StaffSession(ctx context.Context, idHash string, now time.Time) (store.StaffSession, error)
	DeleteStaffSession(ctx context.Context, idHash string) error
}

var _ staffStore = (*store.Log)(nil)

// Rules of the account names and passwords.
const (
	// minStaffNameRunes and maxStaffNameRunes bound a name: « li » to a
	// first and last name joined by a dot.
	minStaffNameRunes = 2
	maxStaffNameRunes = 32
	// MinStaffPasswordLength is the shortest password taken: 12 characters,
	// OWASP's floor for a password that is not a second factor's.
	MinStaffPasswordLength = 12
	// maxStaffPasswordRunes bounds a password: a passphrase fits, and no
	// one makes the server hash a megabyte.
	maxStaffPasswordRunes = 256
)

// InvalidStaffAccount is a change to the accounts refused; its text says
// why, in French. It wraps the store's error when there is one.
type InvalidStaffAccount struct {
	Reason string
	Err    error
}

func (e *InvalidStaffAccount) Error() string { return e.Reason }
func (e *InvalidStaffAccount) Unwrap() error { return e.Err }

// NormalizeStaffName returns name as stored (trimmed, NFC, lower case: «
// Marie » and « marie » are one account), or why it is refused.
func NormalizeStaffName(name string) (string, error) {
	name = strings.ToLower(norm.NFC.String(strings.TrimSpace(name)))
	if n := utf8.RuneCountInString(name); n < minStaffNameRunes || n > maxStaffNameRunes {
		return "", &InvalidStaffAccount{Reason: fmt.Sprintf("Le nom du compte doit compter de %d à %d caractères.", minStaffNameRunes, maxStaffNameRunes)}
	}
	for i, r := range name {
		ok := unicode.IsLetter(r) || (i > 0 && (unicode.IsDigit(r) || r == '.' || r == '-' || r == '_'))
		if !ok {
			what := "« " + string(r) + " »"
			switch {
			case unicode.IsSpace(r):
				what = "d’espace"
			case !unicode.IsPrint(r):
				what = fmt.Sprintf("de caractère invisible (U+%04X)", r)
			}
			return "", &InvalidStaffAccount{Reason: "Le nom du compte ne peut pas contenir " + what + " : lettres, chiffres, point, tiret et tiret bas seulement, en commençant par une lettre."}
		}
	}
	return name, nil
}

// ParseStaffRole reads a role as typed (« edition » without its accent
// too); "" gives "".
func ParseStaffRole(role string) (string, error) {
	switch strings.ToLower(norm.NFC.String(strings.TrimSpace(role))) {
	case "":
		return "", nil
	case store.RoleRead:
		return store.RoleRead, nil
	case store.RoleEdit, "edition":
		return store.RoleEdit, nil
	}
	return "", &InvalidStaffAccount{Reason: fmt.Sprintf("Le rôle « %s » n’existe pas : lecture ou édition.", role)}
}

// checkStaffPasswordRules refuses a password too short or too long.
func checkStaffPasswordRules(password string) error {
	switch n := utf8.RuneCountInString(password); {
	case n < MinStaffPasswordLength:
		return &InvalidStaffAccount{Reason: fmt.Sprintf("Le mot de passe doit compter au moins %d caractères (il en a %d).", MinStaffPasswordLength, n)}
	case n > maxStaffPasswordRunes:
		return &InvalidStaffAccount{Reason: fmt.Sprintf("Le mot de passe dépasse %d caractères.", maxStaffPasswordRunes)}
	}
	return nil
}

// AddStaffAccount checks and adds an account; by names who added it. With
// role "", the first account is an édition one (it must be: it manages the
// others once the bootstrap token stops signing in), later ones lecture.
func AddStaffAccount(ctx context.Context, accounts staffStore, name, role, password, by string) (store.StaffAccount, error) {
	name, err := NormalizeStaffName(name)
	if err != nil {
		return store.StaffAccount{}, err
	}
	if role, err = ParseStaffRole(role); err != nil {
		return store.StaffAccount{}, err
	}
	if err := checkStaffPasswordRules(password); err != nil {
		return store.StaffAccount{}, err
	}
	has, err := accounts.HasStaffAccounts(ctx)
	if err != nil {
		return store.StaffAccount{}, err
	}
	switch {
	case !has && role == store.RoleRead:
		return store.StaffAccount{}, &InvalidStaffAccount{Reason: "Le premier compte doit avoir le rôle édition : c’est lui qui gérera les autres."}
	case role == "" && !has:
		role = store.RoleEdit
	case role == "":
		role = store.RoleRead
	}
	hash, err := HashStaffPassword(ctx, password)
	if err != nil {
		return store.StaffAccount{}, err
	}
	a := store.StaffAccount{Name: name, Role: role, Hash: hash}
	if err := accounts.AddStaffAccount(ctx, a, by); err != nil {
		return store.StaffAccount{}, accountError(name, err)
	}
	// The account as stored: its dates and who made it, which the store
	// sets.
	return accounts.StaffAccount(ctx, name)
}

// SetStaffPassword checks and changes the password of account name, which
// signs it out everywhere.
func SetStaffPassword(ctx context.Context, accounts staffStore, name, password, by string) error {
	name, err := NormalizeStaffName(name)
	if err != nil {
		return err
	}
	if err := checkStaffPasswordRules(password); err != nil {
		return err
	}
	hash, err := HashStaffPassword(ctx, password)
	if err != nil {
		return err
	}
	return accountError(name, accounts.SetStaffPassword(ctx, name, hash, by))
}

// SetStaffRole changes the role of account name (never the last édition's).
func SetStaffRole(ctx context.Context, accounts staffStore, name, role, by string) error {
	name, err := NormalizeStaffName(name)
	if err != nil {
		return err
	}
	if role, err = requiredRole(role); err != nil {
		return err
	}
	return accountError(name, accounts.SetStaffRole(ctx, name, role, by))
}

// requiredRole is ParseStaffRole refusing "": a role change names one.
func requiredRole(role string) (string, error) {
	role, err := ParseStaffRole(role)
	if err == nil && role == "" {
		err = &InvalidStaffAccount{Reason: "Donnez le rôle : lecture ou édition."}
	}
	return role, err
}

// ChangeStaffAccount changes the role and/or the password of account name
// ("" leaves one as it is). Every rule is checked before anything is
// written: a password refused leaves the role unchanged too.
func ChangeStaffAccount(ctx context.Context, accounts staffStore, name, role, password, by string) error {
	name, err := NormalizeStaffName(name)
	if err != nil {
		return err
	}
	if role != "" {
		if role, err = requiredRole(role); err != nil {
			return err
		}
	}
	var hash string
	if password != "" {
		if err := checkStaffPasswordRules(password); err != nil {
			return err
		}
		if hash, err = HashStaffPassword(ctx, password); err != nil {
			return err
		}
	}
	if role != "" {
		if err := accounts.SetStaffRole(ctx, name, role, by); err != nil {
			return accountError(name, err)
		}
	}
	if hash != "" {
		return accountError(name, accounts.SetStaffPassword(ctx, name, hash, by))
	}
	return nil
}

// RemoveStaffAccount removes account name and its sessions (never the last
// édition account).
func RemoveStaffAccount(ctx context.Context, accounts staffStore, name string) error {
	name, err := NormalizeStaffName(name)
	if err != nil {
		return err
	}
	return accountError(name, accounts.RemoveStaffAccount(ctx, name))
}

// accountError says in French what the store's error err on account name
// means; other errors pass as they are.
func accountError(name string, err error) error {
	switch {
	case errors.Is(err, store.ErrNoStaffAccount):
		return &InvalidStaffAccount{Reason: fmt.Sprintf("Le compte « %s » n’existe pas.", name), Err: err}
	case errors.Is(err, store.ErrStaffAccountExists):
		return &InvalidStaffAccount{Reason: fmt.Sprintf("Le compte « %s » existe déjà.", name), Err: err}
	case errors.Is(err, store.ErrLastEditor):
		return &InvalidStaffAccount{Reason: fmt.Sprintf("« %s » est le dernier compte en édition : donnez d’abord ce rôle à un autre compte.", name), Err: err}
	}
	return err
}
