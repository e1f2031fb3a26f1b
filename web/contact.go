package web

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"

	"github.com/causette/causette/chat"
)

// checkContact checks the team's contact: an absolute http(s) page and an
// e-mail address alone (no name, no header smuggled in). nil when neither
// is given and the built-in form is off.
func checkContact(c chat.Contact) (*chat.Contact, error) {
	if c.URL == "" && c.Mail == "" && !c.Form {
		return nil, nil
	}
	if c.URL != "" {
		u, err := url.Parse(c.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return nil, fmt.Errorf("--contact-url %q : une adresse http(s) complète est attendue", c.URL)
		}
		c.URL = u.String()
	}
	if c.Mail != "" {
		a, err := mail.ParseAddress(c.Mail)
		if err != nil || a.Name != "" || a.Address != c.Mail || strings.ContainsAny(c.Mail, "?&#\r\n") {
			return nil, fmt.Errorf("--contact-email %q : une adresse seule est attendue (equipe@exemple.fr)", c.Mail)
		}
	}
	return &c, nil
}

// withContact offers the team's contact on an answer that found nothing.
func (s *Server) withContact(a *chat.Answer) {
	if s.contact != nil && a.Kind == chat.KindNoAnswer {
		c := *s.contact
		a.Contact = &c
	}
}
