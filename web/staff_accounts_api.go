package web

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"

	"github.com/causette/causette/web/store"
)

// The « Comptes » page: édition accounts list, add, change the role or
// password of, and remove the staff accounts, with the rules the command
// line applies (AddStaffAccount and the others).

// accountsPage is the accounts' page, parsed once.
var accountsPage = mustParseStaff("accounts.html")

// maxAccountBody bounds an account sent to the API: a name, a role and a
// password fit in far less.
const maxAccountBody = 4 << 10

// accountInput is an account as the page sends it; "" leaves a field as it
// is on a change.
type accountInput struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// handleAccountsPage serves the accounts' page to an édition session; a
// lecture one reads why it cannot manage them.
func (st *Staff) handleAccountsPage(w http.ResponseWriter, r *http.Request) {
	s, _ := staffSession(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if s.Role != store.RoleEdit {
		w.WriteHeader(http.StatusForbidden)
	}
	accountsPage.Execute(w, consoleData{Name: s.Account, Role: s.Role})
}

// handleAccounts lists the accounts (never their hashes).
func (st *Staff) handleAccounts(w http.ResponseWriter, r *http.Request) {
	accounts, err := st.accounts().StaffAccounts(r.Context())
	if err != nil {
		st.accountStoreError(w, err)
		return
	}
	if accounts == nil {
		accounts = []store.StaffAccount{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": accounts})
}

// handleAddAccount adds an account.
func (st *Staff) handleAddAccount(w http.ResponseWriter, r *http.Request) {
	in, ok := readAccount(w, r)
	if !ok {
		return
	}
	a, err := AddStaffAccount(r.Context(), st.accounts(), in.Name, in.Role, in.Password, st.who(r))
	if err != nil {
		st.accountStoreError(w, err)
		return
	}
	st.logger.Info("staff account added", "account", a.Name, "role", a.Role, "by", st.who(r))
	writeJSON(w, http.StatusCreated, a)
}

// handleChangeAccount changes the role and/or the password of account {name}.
func (st *Staff) handleChangeAccount(w http.ResponseWriter, r *http.Request) {
	in, ok := readAccount(w, r)
	if !ok {
		return
	}
	name := r.PathValue("name")
	if in.Role == "" && in.Password == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_account", Message: "Donnez un rôle ou un mot de passe à changer."})
		return
	}
	if err := ChangeStaffAccount(r.Context(), st.accounts(), name, in.Role, in.Password, st.who(r)); err != nil {
		st.accountStoreError(w, err)
		return
	}
	st.logger.Info("staff account changed", "account", name, "role", in.Role, "password", in.Password != "", "by", st.who(r))
	w.WriteHeader(http.StatusNoContent)
}

// handleRemoveAccount removes account {name} and its sessions.
func (st *Staff) handleRemoveAccount(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if err := RemoveStaffAccount(r.Context(), st.accounts(), name); err != nil {
		st.accountStoreError(w, err)
		return
	}
	st.logger.Info("staff account removed", "account", name, "by", st.who(r))
	w.WriteHeader(http.StatusNoContent)
}

// readAccount reads an account sent as JSON (only JSON: a form of another
// site cannot send it), of at most maxAccountBody.
func readAccount(w http.ResponseWriter, r *http.Request) (accountInput, bool) {
	var in accountInput
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, apiError{Code: "not_json", Message: "Envoyez le compte en JSON."})
		return in, false
	}
	body, err := readBody(w, r, maxAccountBody)
	if err != nil {
		writeJSON(w, bodyErrorStatus(err), apiError{Code: "bad_body", Message: "Compte trop long ou incomplet."})
		return in, false
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "bad_json", Message: "Le compte envoyé n’est pas du JSON valable."})
		return in, false
	}
	return in, true
}

// accountStoreError answers a refused or failed change to the accounts.
func (st *Staff) accountStoreError(w http.ResponseWriter, err error) {
	var invalid *InvalidStaffAccount
	switch {
	case errors.Is(err, store.ErrNoStaffAccount):
		writeJSON(w, http.StatusNotFound, apiError{Code: "unknown_account", Message: err.Error()})
	case errors.Is(err, store.ErrStaffAccountExists), errors.Is(err, store.ErrLastEditor):
		writeJSON(w, http.StatusConflict, apiError{Code: "account_conflict", Message: err.Error()})
	case errors.As(err, &invalid):
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_account", Message: invalid.Reason})
	case errors.Is(err, store.ErrUnavailable):
		st.unavailable(w, "staff accounts", err)
	default:
		st.logger.Error("staff accounts", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Code: "store_error", Message: "Le changement du compte a échoué."})
	}
}
