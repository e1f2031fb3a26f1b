package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/causette/causette/web"
	"github.com/causette/causette/web/store"
)

const staffUsage = `Usage :
  causette staff add NOM [--role lecture|édition]   crée un compte de la console (mot de passe demandé)
  causette staff list                               les comptes, leur rôle, qui les a changés
  causette staff passwd NOM                         change le mot de passe (le compte est déconnecté partout)
  causette staff role NOM lecture|édition           change le rôle
  causette staff remove NOM                         supprime le compte et ses sessions

Sur un terminal, le mot de passe est demandé deux fois sans s’afficher ; sinon, il est lu
sur une ligne de l’entrée (pour les scripts). Le rôle lecture voit tout, édition change
aussi les réponses de l’équipe et les comptes. Le premier compte est en édition : dès
qu’il existe, le jeton d’amorçage (--staff-token) ne permet plus d’entrer.
`

// staffCommands are the subcommands of causette staff and their number of
// arguments after their name.
var staffCommands = map[string]int{"add": 1, "list": 0, "passwd": 1, "role": 2, "remove": 1}

// runStaff manages the staff console's accounts in the server's database.
func runStaff(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("staff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, staffUsage)
		fs.PrintDefaults()
	}
	db := fs.String("db", "", dbFlagHelp)
	dataDir := fs.String("data", defaultDataDir, "dossier des données du serveur")
	role := fs.String("role", "", "rôle du compte créé : lecture ou édition (défaut : édition pour le premier compte, lecture ensuite)")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	n, ok := staffCommands[fs.Arg(0)]
	if !ok || fs.NArg() != n+1 {
		fs.Usage()
		return errors.New("staff : donnez add NOM, list, passwd NOM, role NOM RÔLE ou remove NOM")
	}
	if *role != "" && fs.Arg(0) != "add" {
		return errors.New("staff : --role ne sert qu’avec add (pour un compte existant : causette staff role NOM RÔLE)")
	}
	if *db == "" {
		if fs.Arg(0) == "add" {
			// The first account may come before the first serve: the
			// folder is made as serve makes it (0700).
			data := &dataOptions{dir: dataDir}
			if err := data.ensureDir(); err != nil {
				return fmt.Errorf("staff : %w", err)
			}
		}
		*db = filepath.Join(*dataDir, dbFileName)
	}
	if fs.Arg(0) != "add" {
		if _, err := statDB(*db); err != nil {
			return fmt.Errorf("staff : base %s illisible : %w", *db, err)
		}
	}
	qlog, err := openServerDB("staff", *db)
	if err != nil {
		return err
	}
	defer qlog.Close()
	return staffCommand(ctx, qlog, fs.Args(), *role, stdin, stdout, stderr)
}

// staffCommand runs the subcommand args[0] on the accounts of qlog.
func staffCommand(ctx context.Context, qlog *store.Log, args []string, role string, stdin io.Reader, stdout, stderr io.Writer) error {
	by := staffCommandAuthor()
	switch args[0] {
	case "list":
		return listStaff(ctx, qlog, stdout)
	case "add":
		if _, err := web.NormalizeStaffName(args[1]); err != nil {
			return fmt.Errorf("staff add : %w", err) // before asking for a password
		}
		password, err := readPassword(stdin, stderr)
		if err != nil {
			return fmt.Errorf("staff add : %w", err)
		}
		a, err := web.AddStaffAccount(ctx, qlog, args[1], role, password, by)
		if err != nil {
			return fmt.Errorf("staff add : %w", err)
		}
		fmt.Fprintf(stdout, "compte « %s » créé, rôle %s\n", terminalSafe(a.Name), a.Role)
	case "passwd":
		if _, err := qlog.StaffAccount(ctx, mustName(args[1])); errors.Is(err, store.ErrNoStaffAccount) {
			return fmt.Errorf("staff passwd : le compte « %s » n’existe pas", terminalSafe(args[1]))
		}
		password, err := readPassword(stdin, stderr)
		if err != nil {
			return fmt.Errorf("staff passwd : %w", err)
		}
		if err := web.SetStaffPassword(ctx, qlog, args[1], password, by); err != nil {
			return fmt.Errorf("staff passwd : %w", err)
		}
		fmt.Fprintf(stdout, "mot de passe de « %s » changé ; ses sessions sont fermées\n", terminalSafe(mustName(args[1])))
	case "role":
		if err := web.SetStaffRole(ctx, qlog, args[1], args[2], by); err != nil {
			return fmt.Errorf("staff role : %w", err)
		}
		fmt.Fprintf(stdout, "rôle de « %s » : %s\n", terminalSafe(mustName(args[1])), terminalSafe(args[2]))
	case "remove":
		if err := web.RemoveStaffAccount(ctx, qlog, args[1]); err != nil {
			return fmt.Errorf("staff remove : %w", err)
		}
		fmt.Fprintf(stdout, "compte « %s » supprimé, ses sessions fermées\n", terminalSafe(mustName(args[1])))
	}
	return nil
}

// mustName is name as stored, or name itself when it is not a valid one
// (the store then says it does not exist).
func mustName(name string) string {
	if n, err := web.NormalizeStaffName(name); err == nil {
		return n
	}
	return name
}

// listStaff prints the accounts, one a line.
func listStaff(ctx context.Context, qlog *store.Log, stdout io.Writer) error {
	accounts, err := qlog.StaffAccounts(ctx)
	if err != nil {
		return fmt.Errorf("staff list : %w", err)
	}
	if len(accounts) == 0 {
		fmt.Fprintln(stdout, "aucun compte : le jeton d’amorçage (--staff-token) ouvre la console ; créez le premier avec causette staff add NOM")
		return nil
	}
	for _, a := range accounts {
		fmt.Fprintf(stdout, "%-32s %-8s créé le %s par %s, modifié le %s par %s\n", terminalSafe(a.Name), a.Role,
			a.Created.Local().Format("2006-01-02 15:04"), terminalSafe(a.CreatedBy),
			a.Updated.Local().Format("2006-01-02 15:04"), terminalSafe(a.UpdatedBy))
	}
	return nil
}

// staffCommandAuthor names who changes the accounts from the command line,
// in what the database records.
func staffCommandAuthor() string {
	if u, err := user.Current(); err == nil {
		return "causette staff (" + u.Username + ")"
	}
	return "causette staff"
}

// readPassword asks for a password twice without echo when stdin is a
// terminal, else reads one line of stdin (scripts, tests).
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		fmt.Fprint(stderr, "Mot de passe : ")
		first, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("lecture du mot de passe : %w", err)
		}
		fmt.Fprint(stderr, "Le même, encore : ")
		second, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("lecture du mot de passe : %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("les deux mots de passe diffèrent : rien n’a changé")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("lecture du mot de passe : %w", err)
		}
		return "", errors.New("aucun mot de passe sur l’entrée : donnez-le sur une ligne (echo … | causette staff …)")
	}
	return line, nil
}
