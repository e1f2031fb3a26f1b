package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/causette/causette/chat"
)

// TestContactChecked checks that only an http(s) page and a bare e-mail
// address are taken as the team's contact.
func TestContactChecked(t *testing.T) {
	for _, c := range []struct {
		contact chat.Contact
		ok      bool
	}{
		{chat.Contact{URL: "https://mairie.example.fr/contact"}, true},
		{chat.Contact{Mail: "accueil@mairie.example.fr"}, true},
		{chat.Contact{URL: "javascript:alert(1)"}, false},
		{chat.Contact{URL: "/contact"}, false},
		{chat.Contact{Mail: "Accueil <accueil@mairie.example.fr>"}, false},
		{chat.Contact{Mail: "accueil@mairie.example.fr?bcc=autre@example.org"}, false},
		{chat.Contact{Mail: "pas une adresse"}, false},
	} {
		_, err := checkContact(c.contact)
		if (err == nil) != c.ok {
			t.Errorf("%+v: error %v; want accepted %v", c.contact, err, c.ok)
		}
	}
}

// TestContactOffered checks that an answer that found nothing carries the
// team's contact, an answer that found one does not, and the hello message
// carries it for answers rated down.
func TestContactOffered(t *testing.T) {
	contact := &chat.Contact{URL: "https://mairie.example.fr/contact", Mail: "accueil@mairie.example.fr"}
	base := startHTTP(t, newTestServer(t, Config{Contact: contact}))
	ask := func(q string) chat.Answer {
		resp, err := http.Post(base+"/api/ask", "application/json", strings.NewReader(`{"q":`+jsonString(q)+`}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var a chat.Answer
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	if a := ask("Quel est le prix du pain en 1990 ?"); a.Kind != chat.KindNoAnswer || a.Contact == nil || *a.Contact != *contact {
		t.Errorf("no answer: kind %s, contact %+v; want the team's contact", a.Kind, a.Contact)
	}
	if a := ask("Qui est le PDG de Mistral ?"); a.Kind != chat.KindAnswer || a.Contact != nil {
		t.Errorf("an answer: kind %s, contact %+v; want none", a.Kind, a.Contact)
	}
	s := newTestServer(t, Config{Contact: contact})
	if h := s.hello(); h.Contact == nil || h.Contact.Mail != contact.Mail {
		t.Errorf("hello contact %+v; want the team's", h.Contact)
	}
	plain := newTestServer(t, Config{})
	if h := plain.hello(); h.Contact != nil {
		t.Errorf("no contact configured: hello offers %+v", h.Contact)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
